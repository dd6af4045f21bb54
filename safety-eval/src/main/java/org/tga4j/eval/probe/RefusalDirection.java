package org.tga4j.eval.probe;

import java.util.List;

/**
 * The difference-in-means refusal direction ("Refusal in LLMs is mediated by a single direction"): the mean hidden
 * state of toxic runs minus that of benign runs, at one layer, normalised to unit length; and projections onto it.
 */
public final class RefusalDirection {
    private RefusalDirection() {}

    /** The unit direction {@code (mean(toxic) - mean(benign)) / |…|}; all zeros when the means coincide. */
    public static double[] unit(List<float[]> toxic, List<float[]> benign) {
        if (toxic.isEmpty() || benign.isEmpty()) throw new IllegalArgumentException("need toxic and benign states");
        double[] mt = mean(toxic), mb = mean(benign);
        double[] d = new double[mt.length];
        double n = 0;
        for (int i = 0; i < d.length; i++) {
            d[i] = mt[i] - mb[i];
            n += d[i] * d[i];
        }
        n = Math.sqrt(n);
        for (int i = 0; i < d.length; i++) d[i] = n == 0 ? 0 : d[i] / n;
        return d;
    }

    /** The scalar projection {@code h · dir}. */
    public static double project(float[] h, double[] dir) {
        if (h.length != dir.length) {
            throw new IllegalArgumentException("hidden size " + h.length + " != direction size " + dir.length);
        }
        double s = 0;
        for (int i = 0; i < h.length; i++) s += h[i] * dir[i];
        return s;
    }

    static double[] mean(List<float[]> vs) {
        double[] m = new double[vs.get(0).length];
        for (float[] v : vs) for (int i = 0; i < m.length; i++) m[i] += v[i];
        for (int i = 0; i < m.length; i++) m[i] /= vs.size();
        return m;
    }
}
