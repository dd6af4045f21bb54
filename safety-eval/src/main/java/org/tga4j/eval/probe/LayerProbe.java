package org.tga4j.eval.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tga4j.datasets.SafetyItem;
import org.tga4j.eval.judge.RefusalTokens;
import org.tga4j.runtime.Lvlm;
import org.tga4j.runtime.Request;
import org.tga4j.runtime.model.LlavaModel;
import org.tga4j.runtime.text.SpanKind;

/**
 * The layer probe of the method doc. For each toxic item with an image and a description: the vision run
 * ({@link ProbePrompts#REFERENCE}: {@code <image>\nDescribe this image.}) and the text run ({@code Describe this scene :
 * {description}}, no image), or the {@link ProbePrompts} given.
 * Per layer: the logit-lens refusal probability, the safety start/end layers, the cosine between the mean image-token
 * state (IMAGE span of the vision run) and the mean description state (QUESTION span of the text run) and their
 * norms. With benign items too, the refusal direction per layer (mean last-token state of toxic text runs minus that
 * of benign text runs) and every run's projection onto it. With a vision model, the image slot oracle: the vision
 * prompt's first-answer-token refusal mass when the image slot holds, instead of the projector's output, the
 * description's own token embeddings (repeated to fill the slot, cut when longer) or their mean in every position —
 * what the LLM would do if alignment put the description's content where the image goes.
 */
public final class LayerProbe {
    private final Lvlm lvlm;
    private final RefusalTokens refusal;
    private final LogitLens lens;
    private final ProbePrompts prompts;

    public LayerProbe(Lvlm lvlm, RefusalTokens refusal) {
        this(lvlm, refusal, ProbePrompts.REFERENCE);
    }

    public LayerProbe(Lvlm lvlm, RefusalTokens refusal, ProbePrompts prompts) {
        this.lvlm = lvlm;
        this.refusal = refusal;
        this.lens = new LogitLens(lvlm, refusal);
        this.prompts = prompts;
    }

    /** Items the probe can use: those with a description (and, for vision runs, an image). */
    public static List<SafetyItem> usable(List<SafetyItem> items) {
        return items.stream().filter(i -> i.description() != null && !i.description().isBlank()).toList();
    }

    private record Runs(SafetyItem item, LensRun text, LensRun vision) {}

    /**
     * @param toxic toxic items with descriptions
     * @param benign benign items with descriptions (for the refusal direction), may be empty
     */
    public ProbeResult probe(List<SafetyItem> toxic, List<SafetyItem> benign) {
        toxic = usable(toxic);
        benign = usable(benign);
        if (toxic.isEmpty()) throw new IllegalArgumentException("the probe needs toxic items with a description");
        boolean vision = lvlm.model().hasVision();
        List<Runs> tox = new ArrayList<>(), ben = new ArrayList<>();
        for (SafetyItem it : toxic) tox.add(runs(it, vision));
        for (SafetyItem it : benign) ben.add(runs(it, vision));
        int layers = tox.get(0).text().layers();

        List<ProbeResult.ItemProbe> items = new ArrayList<>();
        List<Integer> starts = new ArrayList<>(), ends = new ArrayList<>();
        double[] cos = vision ? new double[layers] : null, imgNorm = vision ? new double[layers] : null;
        double[] txtNorm = new double[layers], txtProb = new double[layers];
        double[] visProb = vision ? new double[layers] : null;
        int withImage = 0;
        for (Runs r : tox) {
            int s = r.text().startLayer(), e = r.text().endLayer();
            if (s >= 0) starts.add(s);
            if (e >= 0) ends.add(e);
            double[] c = null;
            if (r.vision() != null) {
                withImage++;
                c = new double[layers];
                for (int l = 0; l < layers; l++) {
                    c[l] = cosine(r.vision().spanMean()[l], r.text().spanMean()[l]);
                    cos[l] += c[l];
                    imgNorm[l] += norm(r.vision().spanMean()[l]);
                    visProb[l] += r.vision().refusalProb()[l];
                }
            }
            for (int l = 0; l < layers; l++) {
                txtNorm[l] += norm(r.text().spanMean()[l]);
                txtProb[l] += r.text().refusalProb()[l];
            }
            items.add(new ProbeResult.ItemProbe(r.item().id(), r.item().category(), s, e,
                    r.vision() == null ? -1 : r.vision().startLayer(), r.vision() == null ? -1 : r.vision().endLayer(),
                    c));
        }
        scale(txtNorm, tox.size());
        scale(txtProb, tox.size());
        if (vision) {
            if (withImage == 0) {
                cos = imgNorm = visProb = null;
            } else {
                scale(cos, withImage);
                scale(imgNorm, withImage);
                scale(visProb, withImage);
            }
        }
        int[] band = starts.isEmpty() || ends.isEmpty() ? null
                : new int[] {(int) Math.round(mean(starts)), (int) Math.round(mean(ends))};
        Map<String, Double> slot = new LinkedHashMap<>();
        if (vision) {
            for (boolean mean : new boolean[] {false, true}) {
                slot.put("toxic_" + (mean ? "mean" : "tokens"), slotRefusal(toxic, mean));
                if (!benign.isEmpty()) slot.put("benign_" + (mean ? "mean" : "tokens"), slotRefusal(benign, mean));
            }
        }
        return new ProbeResult(layers, refusal.words(), refusal.idList(), items, starts, ends, band, cos, imgNorm,
                txtNorm, txtProb, visProb, projections(tox, ben, layers), slot);
    }

    /** Mean refusal mass of the image slot oracle over items that have an image (see the class comment). */
    private double slotRefusal(List<SafetyItem> items, boolean mean) {
        LlavaModel model = lvlm.model();
        int slot = model.llavaConfig().imageTokensPerImage();
        double sum = 0;
        int n = 0;
        for (SafetyItem it : items) {
            if (it.image() == null) continue;
            try (NDManager m = NDManager.newBaseManager()) {
                int[] description = lvlm.tokenizer().encode(it.description());
                if (description.length == 0) continue;
                NDArray words = model.embed(m, new int[][] {description}, null).get(0);   // [n, hidden]
                NDArray fill;
                if (mean) {
                    fill = words.mean(new int[] {0}, true).repeat(0, slot);
                } else {
                    long[] order = new long[slot];
                    for (int i = 0; i < slot; i++) order[i] = i % description.length;
                    fill = words.get(m.create(order));
                }
                NDArray logits = lvlm.forward(m, Request.withImage(prompts.vision(), it.image()), fill.expandDims(0),
                        false).output().logits();
                NDArray last = logits.get(0).get(-1).toType(DataType.FLOAT32, false).softmax(-1);
                sum += refusal.mass(last.toFloatArray());
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private Runs runs(SafetyItem it, boolean vision) {
        LensRun text = lens.run(Request.text(prompts.text(it.description())), SpanKind.QUESTION);
        LensRun vis = vision && it.image() != null
                ? lens.run(Request.withImage(prompts.vision(), it.image()), SpanKind.IMAGE) : null;
        return new Runs(it, text, vis);
    }

    private static Map<String, double[]> projections(List<Runs> tox, List<Runs> ben, int layers) {
        Map<String, double[]> out = new LinkedHashMap<>();
        if (ben.isEmpty()) return out;
        double[][] dir = new double[layers][];
        for (int l = 0; l < layers; l++) {
            final int layer = l;
            dir[l] = RefusalDirection.unit(tox.stream().map(r -> r.text().lastHidden()[layer]).toList(),
                    ben.stream().map(r -> r.text().lastHidden()[layer]).toList());
        }
        out.put("toxic_text", meanProjection(tox, dir, false));
        out.put("benign_text", meanProjection(ben, dir, false));
        if (tox.stream().anyMatch(r -> r.vision() != null)) out.put("toxic_image", meanProjection(tox, dir, true));
        if (ben.stream().anyMatch(r -> r.vision() != null)) out.put("benign_image", meanProjection(ben, dir, true));
        return out;
    }

    private static double[] meanProjection(List<Runs> runs, double[][] dir, boolean vision) {
        double[] out = new double[dir.length];
        int n = 0;
        for (Runs r : runs) {
            LensRun run = vision ? r.vision() : r.text();
            if (run == null) continue;
            n++;
            for (int l = 0; l < dir.length; l++) out[l] += RefusalDirection.project(run.lastHidden()[l], dir[l]);
        }
        scale(out, n);
        return out;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    private static double norm(float[] a) {
        double s = 0;
        for (float x : a) s += (double) x * x;
        return Math.sqrt(s);
    }

    private static void scale(double[] a, int n) {
        if (n == 0) return;
        for (int i = 0; i < a.length; i++) a[i] /= n;
    }

    private static double mean(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
    }
}
