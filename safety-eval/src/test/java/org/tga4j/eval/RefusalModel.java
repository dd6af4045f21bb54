package org.tga4j.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tga4j.eval.judge.RefusalTokens;
import org.tga4j.runtime.Lvlm;
import org.tga4j.runtime.RandomModels;
import org.tga4j.runtime.weights.SafeTensorsWriter;

/**
 * A llava checkpoint whose language model is written by hand so that its refusal behaviour is known.
 *
 * <p>Every token embeds to e0 (1 in dimension 0); every attention output projection is zero, so a text position's
 * residual stream depends only on the MLPs. Every MLP is zero except two: decoder layer {@link #BOOST} writes
 * {@code silu(√H)·√H ≈ 15.7} into dimension 1, decoder layer {@link #SUPPRESS} writes about twice that back out. The LM
 * head maps dimension 1 to the refusal token "Sorry" and dimension 0 to every other token (with small distinct
 * weights so the top-1 is unique; the other refusal token "I" gets the smallest). Through the logit lens, "Sorry" is
 * therefore top-1 exactly at hidden-state indices BOOST+1 … SUPPRESS, its probability jumps at BOOST+1 (the safety
 * start layer) and SUPPRESS is the safety end layer — for every prompt, text or image, since the last prompt
 * position is always a text token.
 */
final class RefusalModel {
    static final int LAYERS = 6, HIDDEN = 16, BOOST = 2, SUPPRESS = 4;
    /** Expected safety start layer (hidden-state index). */
    static final int START = BOOST + 1;
    /** Expected safety end layer (hidden-state index). */
    static final int END = SUPPRESS;

    private RefusalModel() {}

    static Path write(Path base) throws IOException {
        Path random = RandomModels.write(new RandomModels.Spec("llava", LAYERS, HIDDEN, 2, 2, 32, 300, 11, 1, 32, 32, 8),
                base.resolve("random"));
        Path out = base.resolve("refusal-llava");
        Files.createDirectories(out);
        try (Stream<Path> s = Files.list(random)) {
            for (Path f : s.toList()) {
                if (!f.getFileName().toString().endsWith(".safetensors")) Files.copy(f, out.resolve(f.getFileName()));
            }
        }
        try (Lvlm lvlm = Lvlm.load(random); NDManager m = NDManager.newBaseManager()) {
            RefusalTokens refusal = RefusalTokens.resolve(lvlm.tokenizer(), RefusalTokens.DEFAULT_WORDS);
            int vocab = lvlm.tokenizer().vocabSize();
            int inter = (int) lvlm.parameters().get("language_model.model.layers.0.mlp.gate_proj.weight").getShape().get(0);
            Map<String, NDArray> p = new LinkedHashMap<>(lvlm.parameters());
            String d = "language_model.model.";
            float[] emb = new float[vocab * HIDDEN];
            for (int v = 0; v < vocab; v++) emb[v * HIDDEN] = 1f;
            p.put(d + "embed_tokens.weight", m.create(emb, new Shape(vocab, HIDDEN)));
            float[] head = new float[vocab * HIDDEN];
            for (int v = 0; v < vocab; v++) {
                String word = refusal.ids().get(v);
                if ("Sorry".equals(word)) head[v * HIDDEN + 1] = 3f;
                else if (word != null) head[v * HIDDEN] = 0.4f;
                else head[v * HIDDEN] = 0.5f + 0.0001f * v;
            }
            p.put("language_model.lm_head.weight", m.create(head, new Shape(vocab, HIDDEN)));
            for (int l = 0; l < LAYERS; l++) {
                String pre = d + "layers." + l + ".";
                p.put(pre + "self_attn.o_proj.weight", m.zeros(new Shape(HIDDEN, HIDDEN)));
                float[] gate = new float[inter * HIDDEN], up = new float[inter * HIDDEN], down = new float[HIDDEN * inter];
                if (l == BOOST) {
                    gate[0] = 1f; // row 0 reads dimension 0
                    up[0] = 1f;
                    down[inter] = 1f; // dimension 1 gets unit 0
                } else if (l == SUPPRESS) {
                    gate[1] = 1f; // row 0 reads dimension 1
                    up[1] = 1f;
                    down[inter] = -2f;
                }
                p.put(pre + "mlp.gate_proj.weight", m.create(gate, new Shape(inter, HIDDEN)));
                p.put(pre + "mlp.up_proj.weight", m.create(up, new Shape(inter, HIDDEN)));
                p.put(pre + "mlp.down_proj.weight", m.create(down, new Shape(HIDDEN, inter)));
            }
            SafeTensorsWriter.write(out.resolve("model.safetensors"), p, Map.of("format", "pt"));
        }
        return out;
    }

    static List<String> words() {
        return RefusalTokens.DEFAULT_WORDS;
    }
}
