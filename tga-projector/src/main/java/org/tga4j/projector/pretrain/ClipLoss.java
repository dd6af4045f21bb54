package org.tga4j.projector.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.tga4j.runtime.model.Ops;

/**
 * CLIP's symmetric InfoNCE loss. For a batch of {@code B} matching pairs with unit-length embeddings
 * {@code I, T} and learned log temperature {@code s}, the logits are {@code L = exp(s) I T^T} ({@code [B, B]}, the
 * matching pairs on the diagonal) and
 *
 * <pre>
 * loss = ( CE(L, diag) + CE(L^T, diag) ) / 2
 * </pre>
 *
 * the mean of the image→text and the text→image cross-entropies, each row's target being its own pair.
 */
public final class ClipLoss {
    private ClipLoss() {}

    /** The loss (a scalar) for logits {@code [B, B]} whose row {@code i} matches column {@code i}. */
    public static NDArray symmetric(NDArray logitsPerImage) {
        NDManager m = logitsPerImage.getManager();
        long b = logitsPerImage.getShape().get(0);
        if (logitsPerImage.getShape().dimension() != 2 || logitsPerImage.getShape().get(1) != b) {
            throw new IllegalArgumentException("contrastive logits must be square [B, B], got " + logitsPerImage.getShape());
        }
        NDArray eye = m.eye((int) b).toType(logitsPerImage.getDataType(), false);
        // Ops.constant: a divisor autograd keeps must live in our manager past the backward pass (see its doc).
        NDArray imageToText = logitsPerImage.logSoftmax(1).mul(eye).sum().neg().div(Ops.constant(logitsPerImage, b));
        NDArray textToImage = logitsPerImage.logSoftmax(0).mul(eye).sum().neg().div(Ops.constant(logitsPerImage, b));
        return imageToText.add(textToImage).div(Ops.constant(logitsPerImage, 2));
    }
}
