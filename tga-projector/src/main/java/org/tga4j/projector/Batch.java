package org.tga4j.projector;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tga4j.runtime.text.EncodedPrompt;
import org.tga4j.runtime.text.SpanKind;

/**
 * A right-padded micro-batch with everything the loss needs, derived from the samples' {@link
 * org.tga4j.runtime.text.PromptLayout}s.
 *
 * @param examples the samples, in row order
 * @param ids token ids {@code [B][T]}, padded with the pad id
 * @param valid {@code [B][T]}: false on padding
 * @param images the image files of the rows that have one, in row order (one {@code <image>} per such row)
 * @param lmPositions flat positions {@code b*T + t} whose logits predict an answer token (the shifted labels)
 * @param lmTargets the answer token each of {@code lmPositions} predicts: {@code ids[b][t+1]}
 * @param imageWeights {@code [B][T]}: 1/|IMAGE span| on the image positions of aligned rows, else 0
 * @param retrievedWeights {@code [B][T]}: 1/|RETRIEVED span| on the retrieved-text positions of aligned rows, else 0
 * @param alignedRows the rows that take part in the alignment terms
 * @param hingeRows per aligned row (same order): whether it has a retrieved span (the hinge term applies)
 * @param captionIds the text-only caption sequences of {@code alignedRows} {@code [A][T2]}, padded
 * @param captionValid {@code [A][T2]}
 * @param captionWeights {@code [A][T2]}: 1/|caption| on caption positions, else 0 (padding never counts)
 * @param tokens real (non-padding) tokens in the main sequences
 */
public record Batch(
        List<TrainingExample> examples,
        int[][] ids,
        boolean[][] valid,
        List<Path> images,
        long[] lmPositions,
        long[] lmTargets,
        float[][] imageWeights,
        float[][] retrievedWeights,
        int[] alignedRows,
        boolean[] hingeRows,
        int[][] captionIds,
        boolean[][] captionValid,
        float[][] captionWeights,
        long tokens) {

    public int rows() {
        return ids.length;
    }

    public int length() {
        return ids[0].length;
    }

    /** Collates samples (right padding with {@code padId}). */
    public static Batch of(List<TrainingExample> examples, int padId) {
        int rows = examples.size();
        int len = examples.stream().mapToInt(TrainingExample::length).max().orElseThrow();
        int[][] ids = new int[rows][];
        boolean[][] valid = new boolean[rows][len];
        float[][] imageW = new float[rows][len], retrievedW = new float[rows][len];
        List<Path> images = new ArrayList<>();
        List<Long> positions = new ArrayList<>(), targets = new ArrayList<>();
        List<Integer> aligned = new ArrayList<>();
        List<Boolean> hinge = new ArrayList<>();
        long tokens = 0;
        for (int b = 0; b < rows; b++) {
            TrainingExample e = examples.get(b);
            EncodedPrompt p = e.prompt().rightPadded(len - e.length(), padId);
            ids[b] = p.ids();
            boolean[] pad = p.layout().mask(SpanKind.PADDING);
            for (int t = 0; t < len; t++) valid[b][t] = !pad[t];
            tokens += e.length();
            if (e.image() != null) images.add(e.image());
            // Shifted labels: the logits at t predict token t+1 when t+1 is an answer token.
            int[] labels = p.labels(-100);
            for (int t = 0; t + 1 < len; t++) {
                if (labels[t + 1] >= 0) {
                    positions.add((long) b * len + t);
                    targets.add((long) labels[t + 1]);
                }
            }
            if (e.aligned()) {
                aligned.add(b);
                spread(p.layout().mask(SpanKind.IMAGE), imageW[b]);
                boolean hasRetrieved = spread(p.layout().mask(SpanKind.RETRIEVED), retrievedW[b]);
                hinge.add(hasRetrieved);
            }
        }
        int a = aligned.size();
        int len2 = aligned.stream().mapToInt(b -> examples.get(b).caption().length()).max().orElse(0);
        int[][] capIds = new int[a][];
        boolean[][] capValid = new boolean[a][len2];
        float[][] capW = new float[a][len2];
        for (int k = 0; k < a; k++) {
            TrainingExample e = examples.get(aligned.get(k));
            EncodedPrompt c = e.caption().rightPadded(len2 - e.caption().length(), padId);
            capIds[k] = c.ids();
            for (int t = 0; t < e.caption().length(); t++) capValid[k][t] = true;
            for (int t : e.captionPositions()) capW[k][t] = 1f / e.captionPositions().length;
        }
        boolean[] hingeRows = new boolean[a];
        for (int k = 0; k < a; k++) hingeRows[k] = hinge.get(k);
        return new Batch(List.copyOf(examples), ids, valid, List.copyOf(images),
                positions.stream().mapToLong(Long::longValue).toArray(),
                targets.stream().mapToLong(Long::longValue).toArray(), imageW, retrievedW,
                aligned.stream().mapToInt(Integer::intValue).toArray(), hingeRows, capIds, capValid, capW, tokens);
    }

    /** Writes 1/count into {@code out} where {@code mask} is set; returns whether any was. */
    private static boolean spread(boolean[] mask, float[] out) {
        int n = 0;
        for (boolean m : mask) if (m) n++;
        if (n == 0) return false;
        for (int t = 0; t < mask.length; t++) if (mask[t]) out[t] = 1f / n;
        return true;
    }
}
