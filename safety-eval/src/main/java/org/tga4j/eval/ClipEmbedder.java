package org.tga4j.eval;

import java.nio.file.Path;
import java.util.List;
import org.tga4j.retrieval.Embedder;
import org.tga4j.runtime.ClipEncoder;

/**
 * The retrieval module's {@link Embedder} over a CLIP dual encoder: texts through the text tower, images through the
 * vision tower, both unit vectors in one space (image→text dense retrieval). The name carries a prefix of the weights'
 * SHA-256, so an index built with one CLIP is never queried with another.
 */
public final class ClipEmbedder implements Embedder, AutoCloseable {
    private final ClipEncoder clip;
    private final String name;

    public ClipEmbedder(ClipEncoder clip, String weightsSha256) {
        this.clip = clip;
        this.name = "clip-" + weightsSha256.substring(0, 16);
    }

    /** Loads a CLIP checkpoint directory. */
    public static ClipEmbedder load(Path dir) {
        return new ClipEmbedder(ClipEncoder.load(dir), Hashing.modelWeights(dir));
    }

    @Override
    public float[] embedText(String text) {
        return clip.embedTexts(List.of(text))[0];
    }

    @Override
    public float[] embedImage(Path image) {
        return clip.embedImages(List.of(image))[0];
    }

    @Override
    public int dimension() {
        return clip.dimension();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean supportsImages() {
        return true;
    }

    @Override
    public void close() {
        clip.close();
    }
}
