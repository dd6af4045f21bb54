package org.tga4j.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.tga4j.runtime.config.ClipConfig;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.image.ClipImageProcessor;
import org.tga4j.runtime.model.CheckpointParameterSource;
import org.tga4j.runtime.model.ClipModel;
import org.tga4j.runtime.model.ClipTextTower;
import org.tga4j.runtime.model.Parameters;
import org.tga4j.runtime.text.TextTokenizer;
import org.tga4j.runtime.weights.Checkpoint;

/**
 * A loaded CLIP dual encoder ({@code model_type: clip}): images and texts embedded into one space as unit vectors,
 * so a dot product is a cosine. Dense image-to-text retrieval and TinyWorld's vision pretraining use it. Safe to
 * share between threads.
 */
public final class ClipEncoder implements AutoCloseable {
    private final ClipConfig config;
    private final NDManager weights;
    private final ClipModel model;
    private final TextTokenizer tokenizer;
    private final ClipImageProcessor images;

    private ClipEncoder(ClipConfig config, NDManager weights, ClipModel model, TextTokenizer tokenizer,
            ClipImageProcessor images) {
        this.config = config;
        this.weights = weights;
        this.model = model;
        this.tokenizer = tokenizer;
        this.images = images;
    }

    public static ClipEncoder load(Path dir) {
        if (!(ModelConfig.load(dir) instanceof ClipConfig config)) {
            throw new IllegalArgumentException(dir + "/config.json: expected model_type clip");
        }
        NDManager weights = NDManager.newBaseManager();
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            ClipModel model = new ClipModel(new Parameters(new CheckpointParameterSource(checkpoint, weights)), config);
            ((ai.djl.ndarray.BaseNDManager) weights).cap();
            return new ClipEncoder(config, weights, model, TextTokenizer.load(dir), ClipImageProcessor.fromModelDir(dir));
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    public ClipConfig config() {
        return config;
    }

    public ClipModel model() {
        return model;
    }

    /** Embedding width (the projection dimension). */
    public int dimension() {
        return config.projectionDim();
    }

    /** Token ids as the text tower reads them: [bos] + text + eos, truncated to the tower's positions. */
    public int[] tokenize(String text) {
        int[] body = tokenizer.encode(text);
        int max = config.textConfig().maxPositionEmbeddings();
        int start = tokenizer.addBos() ? 1 : 0;
        int keep = Math.min(body.length, max - start - 1);
        int[] ids = new int[start + keep + 1];
        if (start == 1) ids[0] = tokenizer.bosId();
        System.arraycopy(body, 0, ids, start, keep);
        ids[ids.length - 1] = tokenizer.eosId();
        return ids;
    }

    /** Unit-length text embeddings, one row per text. */
    public float[][] embedTexts(List<String> texts) {
        try (NDManager m = NDManager.newBaseManager()) {
            return rows(model.embedTexts(textBatch(m, texts)));
        }
    }

    /** Unit-length image embeddings, one row per image file. */
    public float[][] embedImages(List<Path> files) {
        try (NDManager m = NDManager.newBaseManager()) {
            return rows(model.embedImages(images.preprocessBatch(files, m)));
        }
    }

    /** Right-padded token ids for a batch of texts. */
    public ClipTextTower.TextBatch textBatch(NDManager m, List<String> texts) {
        int[][] ids = new int[texts.size()][];
        int[] lengths = new int[texts.size()];
        int len = 0;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenize(texts.get(i));
            lengths[i] = ids[i].length;
            len = Math.max(len, lengths[i]);
        }
        for (int i = 0; i < ids.length; i++) {
            int[] padded = Arrays.copyOf(ids[i], len);
            Arrays.fill(padded, lengths[i], len, tokenizer.padId());
            ids[i] = padded;
        }
        return new ClipTextTower.TextBatch(m, ids, lengths);
    }

    private static float[][] rows(NDArray a) {
        int n = (int) a.getShape().get(0), d = (int) a.getShape().get(1);
        float[] flat = a.toFloatArray();
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) out[i] = Arrays.copyOfRange(flat, i * d, (i + 1) * d);
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
        weights.close();
    }
}
