package org.tga4j.projector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The order of micro-batches in an epoch, a pure function of (lengths, batch size, seed, epoch) so that a resumed
 * run rebuilds exactly the same batches. Samples are shuffled, cut into windows of {@code 64} batches, sorted by
 * length inside each window (so a batch holds samples of similar length and little padding), cut into batches,
 * and the batches shuffled again (so lengths do not drift through the epoch).
 */
public final class LengthBatcher {
    static final int WINDOW_BATCHES = 64;

    private LengthBatcher() {}

    /** Sample indices per micro-batch for {@code epoch}. The last batch of the epoch may be smaller. */
    public static List<int[]> plan(int[] lengths, int batchSize, long seed, int epoch) {
        Random rng = new Random(seed * 1_000_003L + epoch);
        List<Integer> order = new ArrayList<>(lengths.length);
        for (int i = 0; i < lengths.length; i++) order.add(i);
        Collections.shuffle(order, rng);
        int window = batchSize * WINDOW_BATCHES;
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < order.size(); start += window) {
            List<Integer> chunk = new ArrayList<>(order.subList(start, Math.min(order.size(), start + window)));
            chunk.sort(Comparator.comparingInt(i -> lengths[i]));
            for (int b = 0; b < chunk.size(); b += batchSize) {
                batches.add(chunk.subList(b, Math.min(chunk.size(), b + batchSize)).stream()
                        .mapToInt(Integer::intValue).toArray());
            }
        }
        Collections.shuffle(batches, rng);
        return batches;
    }

    /** Padding share of a plan: padded positions / all positions. */
    public static double paddingShare(int[] lengths, List<int[]> plan) {
        long padded = 0, total = 0;
        for (int[] b : plan) {
            int max = 0;
            for (int i : b) max = Math.max(max, lengths[i]);
            for (int i : b) {
                padded += max - lengths[i];
                total += max;
            }
        }
        return total == 0 ? 0 : padded / (double) total;
    }
}
