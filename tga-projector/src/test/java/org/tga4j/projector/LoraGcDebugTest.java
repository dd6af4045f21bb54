package org.tga4j.projector;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tga4j.runtime.text.TextTokenizer;

class LoraGcDebugTest {
    @Test
    void debug() throws Exception {
        LoraTest.tmp = java.nio.file.Files.createTempDirectory("loragc");
        LoraTest.setUp();
        for (LoraSettings ls : java.util.Arrays.asList(null, LoraTest.settings(List.of("q_proj", "v_proj"))))
        try (TrainingModel lora = TrainingModel.load(LoraTest.model, false, DataType.FLOAT32, ls);
                TextTokenizer tok = TextTokenizer.load(LoraTest.model); NDManager m = NDManager.newBaseManager()) {
            Batch b = LoraTest.batch(lora, tok, 2);
            float[] first = LoraTest.logits(lora.model(), m, b);
            for (int i = 0; i < 3; i++) {
                if (i == 1) System.gc();
                Thread.sleep(100);
                if (ls != null) for (var e : lora.lora().tensors().entrySet()) {
                    float[] v = e.getValue().toFloatArray();
                    boolean fin = true;
                    for (float f : v) fin &= Float.isFinite(f);
                    System.out.println("GCDBG " + i + " " + e.getKey() + " finite=" + fin + " first=" + v[0]);
                }
                float[] again = LoraTest.logits(lora.model(), m, b);
                float md = 0; int nan = 0;
                for (int k = 0; k < first.length; k++) { if (!Float.isFinite(again[k])) nan++; else md = Math.max(md, Math.abs(first[k] - again[k])); }
                System.out.println("GCDBG lora=" + (ls != null) + " logits equal after gc " + i + ": " + Arrays.equals(first, again) + " maxdiff " + md + " nonfinite " + nan);
            }
        }
    }
}
