package org.tga4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.datasets.SafetyItem;
import org.tga4j.eval.judge.RefusalTokens;
import org.tga4j.eval.probe.LayerProbe;
import org.tga4j.eval.probe.ProbePrompts;
import org.tga4j.eval.probe.ProbeResult;
import org.tga4j.runtime.Lvlm;
import org.tga4j.runtime.RandomModels;
import org.tga4j.runtime.Request;
import org.tga4j.runtime.model.DecoderOutput;

/** The probe's image slot oracle is the description's own tokens where the image goes. */
class ImageSlotOracleTest {
    @TempDir Path tmp;

    @Test
    void theSlotHoldsTheDescriptionsTokensInOrderRepeatedToFillIt() throws Exception {
        Path model = RandomModels.write(new RandomModels.Spec("llava", 2, 32, 2, 2, 0, 300, 5, 1, 32, 32, 8),
                tmp.resolve("llava"));
        Path image = TestImages.write(tmp.resolve("a.png"), 32, 1);
        List<SafetyItem> toxic = List.of(new SafetyItem("t1", image, "knife", null, "a red knife at the top left",
                SafetyItem.Expected.REFUSE, "m"));
        try (Lvlm lvlm = Lvlm.load(model)) {
            RefusalTokens refusal = RefusalTokens.resolve(lvlm.tokenizer(), RefusalTokens.DEFAULT_WORDS);
            ProbeResult p = new LayerProbe(lvlm, refusal).probe(toxic, List.of());

            // The same prompt as text: every image-token position holds the next description token, round and round.
            int[] ids = lvlm.encode(Request.withImage(ProbePrompts.REFERENCE.vision(), image)).ids();
            int[] words = lvlm.tokenizer().encode(toxic.get(0).description());
            int imageToken = lvlm.model().llavaConfig().imageTokenIndex(), k = 0;
            for (int i = 0; i < ids.length; i++) if (ids[i] == imageToken) ids[i] = words[k++ % words.length];
            assertEquals(lvlm.model().llavaConfig().imageTokensPerImage(), k);
            double expected;
            try (NDManager m = NDManager.newBaseManager()) {
                boolean[][] valid = new boolean[1][ids.length];
                Arrays.fill(valid[0], true);
                DecoderOutput out = lvlm.model().forward(m, new int[][] {ids}, valid, null, null,
                        DecoderOutput.Logits.LAST, false);
                expected = refusal.mass(out.logits().get(0).get(-1).softmax(-1).toFloatArray());
            }
            assertEquals(expected, p.imageSlotRefusal().get("toxic_tokens"), 1e-6 * Math.max(1, expected));
            assertNotEquals(p.imageSlotRefusal().get("toxic_tokens"), p.imageSlotRefusal().get("toxic_mean"),
                    "the mean of the description's embeddings is another input");
            assertEquals(List.of("toxic_tokens", "toxic_mean"), List.copyOf(p.imageSlotRefusal().keySet()),
                    "no benign items, no benign entries");
        }
    }
}
