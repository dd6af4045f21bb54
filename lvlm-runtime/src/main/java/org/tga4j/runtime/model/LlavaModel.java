package org.tga4j.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.tga4j.runtime.config.LlavaConfig;
import org.tga4j.runtime.config.TextConfig;

/**
 * A LLaVA-architecture model: {@code image -> CLIP vision tower -> selected hidden layer (CLS dropped) -> projector
 * -> image tokens spliced into the text embeddings at the <image> token positions -> decoder}. For text-only
 * checkpoints (llama / mistral / qwen2) the vision tower and projector are absent.
 */
public final class LlavaModel {
    private final LlavaConfig llava;
    private final TextConfig text;
    private final ClipVisionTower vision;
    private final MlpProjector projector;
    private final LlamaDecoder decoder;
    private final Parameters parameters;
    private final TensorNames names;

    /** A llava checkpoint. */
    public LlavaModel(Parameters p, LlavaConfig c, TensorNames names) {
        TorchThreads.configure();
        this.llava = c;
        this.text = c.textConfig();
        this.parameters = p;
        this.names = names;
        this.vision = new ClipVisionTower(p, c.visionConfig(), names.vision(), c.visionFeatureHiddenIndex(), false);
        this.projector = new MlpProjector(p, names.projector(), c.projectorType(), c.projectorHiddenAct(),
                c.visionConfig().hiddenSize(), text.hiddenSize());
        this.decoder = new LlamaDecoder(p, text, names.decoder(), names.lmHead());
    }

    /** A text-only causal LM checkpoint. */
    public LlavaModel(Parameters p, TextConfig c) {
        TorchThreads.configure();
        this.llava = null;
        this.text = c;
        this.parameters = p;
        this.names = TensorNames.CAUSAL_LM;
        this.vision = null;
        this.projector = null;
        this.decoder = new LlamaDecoder(p, c, names.decoder(), names.lmHead());
    }

    public boolean hasVision() {
        return vision != null;
    }

    /** The llava config, or null for text-only models. */
    public LlavaConfig llavaConfig() {
        return llava;
    }

    public TextConfig textConfig() {
        return text;
    }

    public LlamaDecoder decoder() {
        return decoder;
    }

    public MlpProjector projector() {
        return projector;
    }

    public Parameters parameters() {
        return parameters;
    }

    public TensorNames tensorNames() {
        return names;
    }

    /**
     * The vision features fed to the projector: hidden state {@code vision_feature_layer} of the tower, with the
     * class token dropped ({@code default}) or kept ({@code full}): {@code [N, imageTokens, visionHidden]}.
     */
    public NDArray visionFeatures(NDArray pixels) {
        TorchThreads.configure();
        requireVision();
        List<NDArray> states = vision.hiddenStates(pixels, llava.visionFeatureHiddenIndex());
        NDArray selected = states.get(llava.visionFeatureHiddenIndex());
        return llava.visionFeatureSelectStrategy().equals("default") ? selected.get(":, 1:, :") : selected;
    }

    /** Image embeddings in the LLM's space: {@code projector(visionFeatures(pixels))}, {@code [N, imageTokens, hidden]}. */
    public NDArray imageEmbeddings(NDArray pixels) {
        return projector.forward(visionFeatures(pixels));
    }

    /**
     * Input embeddings for token ids {@code [B][T]}: token embeddings everywhere, except that the positions holding
     * the image token take the rows of {@code imageEmbeds} {@code [N, P, hidden]}, image after image, in reading
     * order. The number of image-token positions must equal {@code N * P}.
     */
    public NDArray embed(NDManager m, int[][] ids, NDArray imageEmbeds) {
        int rows = ids.length, len = ids[0].length;
        int imageToken = llava == null ? -1 : llava.imageTokenIndex();
        long[] tokens = new long[rows * len];
        long[] gather = new long[rows * len];
        int imageRows = 0;
        for (int b = 0; b < rows; b++) {
            for (int t = 0; t < len; t++) {
                int i = b * len + t;
                boolean isImage = ids[b][t] == imageToken;
                tokens[i] = isImage ? 0 : ids[b][t];
                gather[i] = isImage ? (long) rows * len + imageRows++ : i;
            }
        }
        long available = imageEmbeds == null ? 0 : imageEmbeds.getShape().get(0) * imageEmbeds.getShape().get(1);
        if (imageRows != available) {
            int perImage = llava == null ? 0 : llava.imageTokensPerImage();
            throw new IllegalArgumentException("the prompt has " + imageRows + " image-token positions ("
                    + (perImage == 0 ? "?" : imageRows / perImage) + " <image> placeholders of " + perImage
                    + " tokens) but " + (imageEmbeds == null ? 0 : imageEmbeds.getShape().get(0))
                    + " image(s) were given");
        }
        for (long id : tokens) {
            if (id < 0 || id >= text.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (" + text.vocabSize() + ")");
            }
        }
        NDArray textEmbeds = decoder.embed(m.create(tokens, new Shape(rows, len)));
        if (imageRows == 0) return textEmbeds;
        long hidden = text.hiddenSize();
        NDArray table = textEmbeds.reshape((long) rows * len, hidden).concat(imageEmbeds.reshape(available, hidden), 0);
        return table.get(m.create(gather)).reshape(rows, len, hidden);
    }

    /** Embeds (with images spliced in) and runs the decoder. */
    public DecoderOutput forward(
            NDManager m, int[][] ids, boolean[][] valid, NDArray imageEmbeds, KvCache cache,
            DecoderOutput.Logits logits, boolean wantHidden) {
        TorchThreads.configure();
        return decoder.forward(embed(m, ids, imageEmbeds), valid, cache, logits, wantHidden);
    }

    private void requireVision() {
        if (vision == null) throw new IllegalStateException("this is a text-only model: it has no vision tower");
    }
}
