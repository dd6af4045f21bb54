package org.tga4j.projector.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.tga4j.runtime.Lvlm;

/**
 * How well the features LLaVA reads — the vision tower's {@code vision_feature_layer} patch features, max-pooled over
 * the patches — separate TinyWorld's object classes and colours: a softmax regression fitted on the training split's
 * single-object images and scored on the test split's (new drawings of what training shows).
 * Perception is the precondition of the safety question: a tower that does not encode the class lets no projector
 * show the LLM a knife.
 */
public final class VisionProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 64, ITERATIONS = 500;
    private static final double LEARNING_RATE = 0.1, WEIGHT_DECAY = 1e-3;

    private VisionProbe() {}

    /** Held-out accuracies, the class chance level (1 / classes) and the image counts. */
    public record Result(double classAccuracy, double colourAccuracy, double classChance, int trainImages,
            int testImages) {}

    /** Probes the llava checkpoint {@code llava}'s vision features on the world at {@code world}. */
    public static Result run(Path llava, Path world) throws IOException {
        List<Path> images = new ArrayList<>();
        List<String> split = new ArrayList<>(), classes = new ArrayList<>(), colours = new ArrayList<>();
        for (String line : Files.readAllLines(world.resolve("scenes.jsonl"))) {
            if (line.isBlank()) continue;
            JsonNode scene = JSON.readTree(line);
            String s = scene.path("split").asText();
            if (scene.path("objects").size() != 1 || !(s.equals("train") || s.equals("test"))) continue;
            JsonNode o = scene.path("objects").get(0);
            images.add(world.resolve("images").resolve(scene.path("image").asText()));
            split.add(s);
            classes.add(o.path("class").asText());
            colours.add(o.path("colour").asText());
        }
        float[][] features = new float[images.size()][];
        try (Lvlm model = Lvlm.load(llava)) {
            for (int start = 0; start < images.size(); start += BATCH) {
                try (NDManager m = NDManager.newBaseManager()) {
                    List<Path> part = images.subList(start, Math.min(images.size(), start + BATCH));
                    NDArray pooled = model.model().visionFeatures(model.pixels(m, part)).max(new int[] {1});
                    for (int i = 0; i < part.size(); i++) features[start + i] = pooled.get(i).toFloatArray();
                }
            }
        }
        int[] classIds = ids(classes), colourIds = ids(colours);
        boolean[] train = new boolean[images.size()];
        for (int i = 0; i < train.length; i++) train[i] = split.get(i).equals("train");
        int trainCount = 0;
        for (boolean t : train) if (t) trainCount++;
        int classCount = (int) classes.stream().distinct().count();
        return new Result(accuracy(features, classIds, train), accuracy(features, colourIds, train), 1.0 / classCount,
                trainCount, images.size() - trainCount);
    }

    /**
     * Fits a softmax regression on the rows marked {@code train} (features standardised with the training rows' mean
     * and deviation, full-batch gradient descent with weight decay, deterministic) and returns its accuracy on the
     * other rows; NaN when either side is empty.
     */
    static double accuracy(float[][] x, int[] y, boolean[] train) {
        int n = x.length, d = n == 0 ? 0 : x[0].length, k = 0;
        for (int v : y) k = Math.max(k, v + 1);
        double[] mean = new double[d], std = new double[d];
        int nTrain = 0;
        for (int i = 0; i < n; i++) {
            if (!train[i]) continue;
            nTrain++;
            for (int j = 0; j < d; j++) mean[j] += x[i][j];
        }
        if (nTrain == 0 || nTrain == n) return Double.NaN;
        for (int j = 0; j < d; j++) mean[j] /= nTrain;
        for (int i = 0; i < n; i++) {
            if (train[i]) for (int j = 0; j < d; j++) std[j] += (x[i][j] - mean[j]) * (x[i][j] - mean[j]);
        }
        double[][] z = new double[n][d];
        for (int j = 0; j < d; j++) std[j] = Math.sqrt(std[j] / nTrain) + 1e-6;
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) z[i][j] = (x[i][j] - mean[j]) / std[j];
        double[][] w = new double[d][k];
        double[] b = new double[k];
        for (int it = 0; it < ITERATIONS; it++) {
            double[][] gw = new double[d][k];
            double[] gb = new double[k];
            for (int i = 0; i < n; i++) {
                if (!train[i]) continue;
                double[] p = softmax(z[i], w, b);
                p[y[i]] -= 1;
                for (int c = 0; c < k; c++) {
                    gb[c] += p[c];
                    for (int j = 0; j < d; j++) gw[j][c] += z[i][j] * p[c];
                }
            }
            for (int c = 0; c < k; c++) {
                b[c] -= LEARNING_RATE * gb[c] / nTrain;
                for (int j = 0; j < d; j++) w[j][c] -= LEARNING_RATE * (gw[j][c] / nTrain + WEIGHT_DECAY * w[j][c]);
            }
        }
        int right = 0, tested = 0;
        for (int i = 0; i < n; i++) {
            if (train[i]) continue;
            tested++;
            double[] p = softmax(z[i], w, b);
            int best = 0;
            for (int c = 1; c < k; c++) if (p[c] > p[best]) best = c;
            if (best == y[i]) right++;
        }
        return (double) right / tested;
    }

    private static double[] softmax(double[] z, double[][] w, double[] b) {
        int k = b.length;
        double[] logits = b.clone();
        for (int j = 0; j < z.length; j++) for (int c = 0; c < k; c++) logits[c] += z[j] * w[j][c];
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : logits) max = Math.max(max, v);
        for (int c = 0; c < k; c++) sum += logits[c] = Math.exp(logits[c] - max);
        for (int c = 0; c < k; c++) logits[c] /= sum;
        return logits;
    }

    /** Labels as ids in sorted label order. */
    private static int[] ids(List<String> labels) {
        TreeMap<String, Integer> index = new TreeMap<>();
        for (String l : labels) index.putIfAbsent(l, 0);
        int next = 0;
        for (var e : index.entrySet()) e.setValue(next++);
        return labels.stream().mapToInt(index::get).toArray();
    }
}
