package org.tga4j.projector.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import org.tga4j.runtime.model.ClipModel;

/** Measures {@link ClipRetrieval} for a model on held-out pairs. */
public final class ClipRetrievalEval {
    /** Pairs embedded per forward pass. */
    private static final int CHUNK = 128;

    private ClipRetrievalEval() {}

    /**
     * Embeds every val image and caption, then ranks each image's group of captions by cosine.
     *
     * @param groupSize captions per group (0 or more than the pairs: all pairs form one group)
     */
    public static ClipRetrieval evaluate(ClipModel model, ClipPairs val, ClipCaptionTokenizer tokenizer,
            int groupSize, NDManager parent) {
        int n = val.size();
        if (n == 0) return new ClipRetrieval(0, 0, Double.NaN, Double.NaN, new int[0], List.of());
        int group = groupSize <= 0 || groupSize > n ? n : groupSize;
        float[][] images = new float[n][], texts = new float[n][];
        for (int start = 0; start < n; start += CHUNK) {
            int[] rows = java.util.stream.IntStream.range(start, Math.min(n, start + CHUNK)).toArray();
            try (NDManager m = parent.newSubManager()) {
                copyRows(model.embedImages(val.pixels(m, rows)), images, start);
                copyRows(model.embedTexts(val.texts(m, rows, tokenizer)), texts, start);
            }
        }
        List<String> captions = val.captions();
        int hits1 = 0, hits5 = 0;
        int[] retrieved = new int[n];
        for (int i = 0; i < n; i++) {
            int g0 = i / group * group, g1 = Math.min(n, g0 + group);
            double[] scores = new double[g1 - g0];
            for (int j = g0; j < g1; j++) scores[j - g0] = dot(images[i], texts[j]);
            Integer[] order = new Integer[scores.length];
            for (int k = 0; k < order.length; k++) order[k] = k;
            Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
            retrieved[i] = g0 + order[0];
            for (int r = 0; r < Math.min(5, order.length); r++) {
                if (captions.get(g0 + order[r]).equals(captions.get(i))) {
                    if (r == 0) hits1++;
                    hits5++;
                    break;
                }
            }
        }
        return new ClipRetrieval(n, group, hits1 / (double) n, hits5 / (double) n, retrieved, captions);
    }

    private static void copyRows(NDArray a, float[][] out, int start) {
        int rows = (int) a.getShape().get(0), d = (int) a.getShape().get(1);
        float[] flat = a.toFloatArray();
        for (int r = 0; r < rows; r++) out[start + r] = Arrays.copyOfRange(flat, r * d, (r + 1) * d);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) s += a[k] * b[k];
        return s;
    }
}
