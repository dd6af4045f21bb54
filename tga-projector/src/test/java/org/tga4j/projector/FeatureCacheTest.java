package org.tga4j.projector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.runtime.image.ClipImageProcessor;
import org.tga4j.runtime.text.TextTokenizer;

/** The frozen vision tower's features are computed once per image and training run. */
class FeatureCacheTest {
    @TempDir Path tmp;

    @Test
    void laterBatchesReuseEachImagesFeatures() throws Exception {
        Path model = Fixtures.tinyModel(tmp.resolve("model"), 8);
        Path world = Fixtures.world(tmp.resolve("world"), 14);
        Path data = Fixtures.augmentedInstruct(world, tmp.resolve("d.json"), 4);
        try (TrainingModel tm = TrainingModel.load(model, false); TextTokenizer tok = TextTokenizer.load(model);
                NDManager m = tm.weights().newSubManager()) {
            List<TrainingExample> ex = Fixtures.encodeLlavaV1(data, world, tm, tok);
            Batch all = Batch.of(ex, tok.padId()), reversed = Batch.of(ex.reversed(), tok.padId());
            ClipImageProcessor images = ClipImageProcessor.fromModelDir(model);
            TrainStep step = new TrainStep(tm, new TgaLoss(new LayerBand(1, 3), 0.25, 0.1, false), images);

            float[] cached = step.visionFeatures(m, all, DataType.FLOAT32).toFloatArray();
            // The tower on the whole batch at once, as without the cache.
            NDArray direct = tm.model().visionFeatures(images.preprocessBatch(all.images(), m));
            assertArrayEquals(direct.toFloatArray(), cached, 1e-5f);

            // Later batches no longer read the images: they are gone, and the features are still there, per image.
            for (Path image : all.images()) Files.deleteIfExists(image);
            NDArray again = step.visionFeatures(m, reversed, DataType.FLOAT32);
            assertEquals(direct.getShape(), again.getShape());
            int n = all.images().size();
            long perImage = direct.getShape().size() / n;
            float[] back = again.toFloatArray();
            for (int i = 0; i < n; i++) {
                int j = reversed.images().indexOf(all.images().get(i));
                assertArrayEquals(java.util.Arrays.copyOfRange(cached, (int) (i * perImage), (int) ((i + 1) * perImage)),
                        java.util.Arrays.copyOfRange(back, (int) (j * perImage), (int) ((j + 1) * perImage)));
            }
        }
    }
}
