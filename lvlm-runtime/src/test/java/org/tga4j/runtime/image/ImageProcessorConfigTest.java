package org.tga4j.runtime.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageProcessorConfigTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheOldIntStyleOfOpenAiClip336() throws IOException {
        // as shipped with openai/clip-vit-large-patch14-336 (LLaVA-1.5's vision tower)
        Path f = Files.writeString(tmp.resolve("preprocessor_config.json"), """
                {
                  "crop_size": 336,
                  "do_center_crop": true,
                  "do_normalize": true,
                  "do_resize": true,
                  "feature_extractor_type": "CLIPFeatureExtractor",
                  "image_mean": [0.48145466, 0.4578275, 0.40821073],
                  "image_std": [0.26862954, 0.26130258, 0.27577711],
                  "resample": 3,
                  "size": 336
                }""");
        ImageProcessorConfig c = ImageProcessorConfig.load(f);
        assertEquals(ImageProcessorConfig.clip(336), c);
        assertFalse(c.padToSquare());
    }

    @Test
    void readsTheDictStyleOfNewerTransformers() throws IOException {
        Path f = Files.writeString(tmp.resolve("preprocessor_config.json"), """
                {
                  "crop_size": {"height": 224, "width": 256},
                  "do_center_crop": false,
                  "do_convert_rgb": false,
                  "do_rescale": true,
                  "image_processor_type": "CLIPImageProcessor",
                  "image_mean": [0.5, 0.5, 0.5],
                  "image_std": [0.25, 0.5, 1.0],
                  "rescale_factor": 0.5,
                  "size": {"shortest_edge": 300},
                  "image_aspect_ratio": "pad"
                }""");
        ImageProcessorConfig c = ImageProcessorConfig.load(f);
        assertEquals(224, c.cropHeight());
        assertEquals(256, c.cropWidth());
        assertEquals(300, c.shortestEdge());
        assertFalse(c.doCenterCrop());
        assertFalse(c.doConvertRgb());
        assertTrue(c.doResize() && c.doNormalize());
        assertEquals(0.5, c.rescaleFactor());
        assertArrayEquals(new float[] {0.25f, 0.5f, 1f}, c.imageStd());
        assertTrue(c.padToSquare());
    }

    @Test
    void saveWritesARealPreprocessorConfigThatLoadsBack() throws IOException {
        ImageProcessorConfig c = ImageProcessorConfig.clip(336).withPadToSquare(true);
        Path f = tmp.resolve("model/preprocessor_config.json");
        c.save(f);
        String json = Files.readString(f);
        assertTrue(json.contains("\"image_processor_type\" : \"CLIPImageProcessor\""), json);
        assertTrue(json.contains("\"shortest_edge\" : 336"), json);
        assertTrue(json.contains("\"height\" : 336"), json);
        assertEquals(c, ImageProcessorConfig.load(f));
        try (var s = Files.list(f.getParent())) {
            assertEquals(1, s.count(), "no temp files left");
        }
    }

    @Test
    void wrongTypesNameTheFileAndKey() throws IOException {
        Path f = Files.writeString(tmp.resolve("preprocessor_config.json"),
                "{\"image_mean\": [0.5, 0.5], \"size\": 224}");
        ImageException e = assertThrows(ImageException.class, () -> ImageProcessorConfig.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("image_mean")
                && e.getMessage().contains("3 numbers"), e.getMessage());
        Path g = Files.writeString(tmp.resolve("p2.json"), "{\"size\": {\"height\": 224, \"width\": 224}}");
        ImageException e2 = assertThrows(ImageException.class, () -> ImageProcessorConfig.load(g));
        assertTrue(e2.getMessage().contains("shortest_edge"), e2.getMessage());
    }

    @Test
    void otherProcessorTypesAndMissingFilesAreRejected() throws IOException {
        Path f = Files.writeString(tmp.resolve("pp.json"), "{\"image_processor_type\": \"SiglipImageProcessor\"}");
        assertTrue(assertThrows(ImageException.class, () -> ImageProcessorConfig.load(f)).getMessage()
                .contains("SiglipImageProcessor"));
        Path missing = tmp.resolve("none.json");
        assertTrue(assertThrows(ImageException.class, () -> ImageProcessorConfig.load(missing)).getMessage()
                .contains("does not exist"));
    }
}
