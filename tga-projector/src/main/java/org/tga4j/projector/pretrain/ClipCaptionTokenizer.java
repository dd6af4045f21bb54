package org.tga4j.projector.pretrain;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.tga4j.runtime.ClipEncoder;
import org.tga4j.runtime.model.ClipTextTower;
import org.tga4j.runtime.text.TextTokenizer;

/**
 * Token ids as the CLIP text tower reads them — {@code [bos] + text + eos}, truncated to the tower's positions — the
 * same ids {@link ClipEncoder#tokenize(String)} gives at inference, so the trained model is used as it was trained.
 */
public final class ClipCaptionTokenizer {
    private final TextTokenizer tokenizer;
    private final int maxPositions;

    public ClipCaptionTokenizer(TextTokenizer tokenizer, int maxPositions) {
        this.tokenizer = tokenizer;
        this.maxPositions = maxPositions;
    }

    public int[] tokenize(String text) {
        int[] body = tokenizer.encode(text);
        int start = tokenizer.addBos() ? 1 : 0;
        int keep = Math.min(body.length, maxPositions - start - 1);
        int[] ids = new int[start + keep + 1];
        if (start == 1) ids[0] = tokenizer.bosId();
        System.arraycopy(body, 0, ids, start, keep);
        ids[ids.length - 1] = tokenizer.eosId();
        return ids;
    }

    /** Right-pads already tokenized captions into a batch computed in {@code m}. */
    public ClipTextTower.TextBatch batch(NDManager m, int[][] tokenized) {
        int len = 0;
        int[] lengths = new int[tokenized.length];
        for (int i = 0; i < tokenized.length; i++) {
            lengths[i] = tokenized[i].length;
            len = Math.max(len, lengths[i]);
        }
        int[][] ids = new int[tokenized.length][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Arrays.copyOf(tokenized[i], len);
            Arrays.fill(ids[i], lengths[i], len, tokenizer.padId());
        }
        return new ClipTextTower.TextBatch(m, ids, lengths);
    }
}
