package org.tga4j.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tga4j.runtime.generate.Generator;
import org.tga4j.runtime.generate.SamplingParams;

/** libtorch's thread count is per thread: every thread that computes gets the configured one back. */
class TorchThreadsTest {

    private static int onNewThread(Runnable work) throws InterruptedException {
        int[] seen = new int[1];
        Thread t = new Thread(() -> {
            work.run();
            seen[0] = JniUtils.getNumThreads();
        });
        t.start();
        t.join();
        return seen[0];
    }

    @Test
    void aThreadThatComputesRunsWithTheConfiguredCountAfterSingleThreadedDecoding() throws Exception {
        int configured = TorchThreads.current();
        try (NDManager base = NDManager.newBaseManager()) {
            LlavaModel model = TinyModels.randomLlava(base.newSubManager(), TinyModels.text("llama", 1, 32, 4, 2, 64), 5);
            // Another thread lowers the count, which is where a thread that never set its own starts from.
            onNewThread(() -> JniUtils.setNumThreads(1));
            int afterForward = onNewThread(() -> {
                try (NDManager m = base.newSubManager()) {
                    model.forward(m, new int[][] {{1, 2, 3}}, new boolean[][] {{true, true, true}}, null, null,
                            DecoderOutput.Logits.LAST, false);
                }
            });
            assertEquals(configured, afterForward, "a forward pass configures its thread");
            // Batch-1 decode steps run on one thread and hand the configured count back.
            try (NDManager m = base.newSubManager()) {
                new Generator(model, 0).generate(m, List.of(new int[] {1, 2, 3}), null,
                        SamplingParams.greedy(4, Set.of()), null, null);
            }
            assertEquals(configured, JniUtils.getNumThreads(), "after a batch-1 generation");
        }
    }

    @Test
    void aSingleThreadedStepHandsItsMatrixProductsEveryThread() {
        int configured = TorchThreads.current();
        int[] seen = TorchThreads.singleThreaded(() -> new int[] {
            JniUtils.getNumThreads(), TorchThreads.parallel(JniUtils::getNumThreads), JniUtils.getNumThreads()});
        assertEquals(1, seen[0], "small ops");
        assertEquals(configured, seen[1], "a matrix product");
        assertEquals(1, seen[2], "small ops after it");
        assertEquals(configured, JniUtils.getNumThreads(), "after the step");
        assertEquals(configured, (int) TorchThreads.parallel(JniUtils::getNumThreads), "outside a step: unchanged");
    }
}
