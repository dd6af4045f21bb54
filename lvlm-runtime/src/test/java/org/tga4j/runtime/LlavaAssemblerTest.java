package org.tga4j.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.tga4j.runtime.config.LlavaConfig;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.image.ImageProcessorConfig;
import org.tga4j.runtime.text.BpeTokenizerTrainer;
import org.tga4j.runtime.text.TextTokenizer;
import org.tga4j.runtime.weights.Checkpoint;

class LlavaAssemblerTest {
    @TempDir static Path dir;
    static Path llm, clip;

    @BeforeAll
    static void writeParts() {
        llm = RandomModels.write(RandomModels.Spec.llama(2, 64, 4, 2, 400, 3), dir.resolve("llm"));
        // A CLIP whose vision tower differs in size from RandomModels' llava default, on 48-px images.
        clip = RandomModels.write(new RandomModels.Spec("clip", 1, 32, 2, 2, 0, 300, 4, 3, 64, 48, 8),
                dir.resolve("clip"));
    }

    @Test
    void assembledLlavaKeepsTheLlmAndTheVisionTowerAndGeneratesLikeTheLlm() throws Exception {
        Path out = LlavaAssembler.assemble(llm, clip, LlavaAssembler.Options.defaults(7), dir.resolve("llava"), false);
        LlavaConfig cfg = (LlavaConfig) ModelConfig.load(out);
        assertEquals(-2, cfg.visionFeatureLayer());
        assertEquals("mlp2x_gelu", cfg.projectorType());
        assertEquals(3, cfg.visionConfig().numHiddenLayers());
        assertEquals(48, cfg.visionConfig().imageSize());
        try (TextTokenizer tok = TextTokenizer.load(llm)) {
            assertEquals(tok.tokenId("<image>").orElseThrow(), cfg.imageTokenIndex());
        }
        assertEquals(Files.readString(llm.resolve("tokenizer.json")), Files.readString(out.resolve("tokenizer.json")));
        assertEquals(ImageProcessorConfig.load(clip.resolve("preprocessor_config.json")),
                ImageProcessorConfig.load(out.resolve("preprocessor_config.json")));

        try (Checkpoint a = Checkpoint.open(out); Checkpoint l = Checkpoint.open(llm); Checkpoint c = Checkpoint.open(clip)) {
            int language = 0, vision = 0;
            for (String name : l.names()) {
                String mapped = name.equals("lm_head.weight") ? "language_model.lm_head.weight"
                        : "language_model." + name;
                assertArrayEquals(l.loadFloats(name), a.loadFloats(mapped), name);
                language++;
            }
            for (String name : c.names()) {
                if (name.startsWith("vision_model.")) {
                    assertArrayEquals(c.loadFloats(name), a.loadFloats("vision_tower." + name), name);
                    vision++;
                } else {
                    assertFalse(a.has(name), name + " (CLIP text side) must not be carried over");
                }
            }
            int projector = 0;
            for (String name : a.names()) {
                if (name.startsWith("multi_modal_projector.")) projector++;
            }
            assertEquals(language + vision + 4, a.names().size());
            assertEquals(4, projector);
            // nn.Linear init: |w| <= 1/sqrt(fan_in), not all equal.
            float[] w1 = a.loadFloats("multi_modal_projector.linear_1.weight");
            double bound = 1 / Math.sqrt(64);
            for (float x : w1) assertTrue(Math.abs(x) <= bound, "linear_1 weight " + x + " beyond " + bound);
            assertNotEquals(w1[0], w1[1]);
        }

        Path image = dir.resolve("red.png");
        nu.pattern.OpenCV.loadLocally();
        Imgcodecs.imwrite(image.toString(), new Mat(30, 40, CvType.CV_8UC3, new Scalar(0, 0, 255)));
        try (Lvlm llava = Lvlm.load(out); Lvlm plain = Lvlm.load(llm)) {
            Request q = Request.text("Tell me about the red ball on the left.");
            Generation g = llava.generate(q, llava.greedy(8));
            Generation p = plain.generate(q, plain.greedy(8));
            assertArrayEquals(p.promptTokenIds(), g.promptTokenIds());
            assertArrayEquals(p.tokenIds(), g.tokenIds());
            assertEquals(p.text(), g.text());
            // And it takes an image: 36 patch tokens of a 48-px image cut into 8-px patches.
            Generation withImage = llava.generate(Request.withImage("What is it?", image), llava.greedy(3));
            int imageTokens = 0;
            for (int id : withImage.promptTokenIds()) if (id == cfg.imageTokenIndex()) imageTokens++;
            assertEquals(36, imageTokens);
        }
    }

    @Test
    void sameSeedSameProjectorAndLinearOption() throws Exception {
        Path a = LlavaAssembler.assemble(llm, clip, LlavaAssembler.Options.defaults(1), dir.resolve("a"), false);
        Path b = LlavaAssembler.assemble(llm, clip, LlavaAssembler.Options.defaults(1), dir.resolve("b"), false);
        Path c = LlavaAssembler.assemble(llm, clip, new LlavaAssembler.Options("linear", -1, "full", "square", 2),
                dir.resolve("c"), false);
        try (Checkpoint ca = Checkpoint.open(a); Checkpoint cb = Checkpoint.open(b); Checkpoint cc = Checkpoint.open(c)) {
            for (String n : List.of("multi_modal_projector.linear_1.weight", "multi_modal_projector.linear_2.bias")) {
                assertArrayEquals(ca.loadFloats(n), cb.loadFloats(n), n);
            }
            assertFalse(cc.has("multi_modal_projector.linear_2.weight"));
            assertEquals(List.of(64L, 64L), List.of(cc.info("multi_modal_projector.linear_1.weight").shape()[0],
                    cc.info("multi_modal_projector.linear_1.weight").shape()[1]));
        }
        LlavaConfig cfg = (LlavaConfig) ModelConfig.load(c);
        assertEquals("square", cfg.imageAspectRatio());
        assertEquals(37, cfg.imageTokensPerImage());
        try (Lvlm llava = Lvlm.load(c)) {
            assertTrue(llava.model().hasVision());
        }
        // An existing output is refused unless replacing, and then replaced whole.
        var e = assertThrows(IllegalArgumentException.class,
                () -> LlavaAssembler.assemble(llm, clip, LlavaAssembler.Options.defaults(1), a, false));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        LlavaAssembler.assemble(llm, clip, LlavaAssembler.Options.defaults(5), a, true);
        try (Checkpoint ca = Checkpoint.open(a); Checkpoint cb = Checkpoint.open(b)) {
            String n = "multi_modal_projector.linear_1.weight";
            assertFalse(java.util.Arrays.equals(ca.loadFloats(n), cb.loadFloats(n)));
        }
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".a.")), "temp directories left behind");
        }
    }

    @Test
    void takesAVisionOnlyClipCheckpoint() throws Exception {
        // The layout of HF's CLIPVisionModel: model_type clip_vision_model, only vision_model.* tensors.
        Path visionOnly = Files.createDirectories(dir.resolve("clip-vision"));
        var vision = ((org.tga4j.runtime.config.ClipConfig) ModelConfig.load(clip)).visionConfig();
        ModelConfig.json().writeValue(visionOnly.resolve("config.json").toFile(), vision);
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(); Checkpoint c = Checkpoint.open(clip)) {
            var tensors = new java.util.LinkedHashMap<String, ai.djl.ndarray.NDArray>();
            for (String n : c.names()) if (n.startsWith("vision_model.")) tensors.put(n, c.load(n, m));
            org.tga4j.runtime.weights.SafeTensorsWriter.write(visionOnly.resolve("model.safetensors"), tensors,
                    java.util.Map.of());
        }
        Path out = LlavaAssembler.assemble(llm, visionOnly, LlavaAssembler.Options.defaults(3), dir.resolve("vo"), false);
        LlavaConfig cfg = (LlavaConfig) ModelConfig.load(out);
        assertEquals(vision, cfg.visionConfig());
        // No preprocessor_config.json in the CLIP directory: the CLIP default for its image size is written.
        assertEquals(ImageProcessorConfig.clip(48), ImageProcessorConfig.load(out.resolve("preprocessor_config.json")));
        try (Lvlm llava = Lvlm.load(out)) {
            assertTrue(llava.model().hasVision());
        }
    }

    @Test
    void badInputsAreNamed() throws Exception {
        LlavaAssembler.Options o = LlavaAssembler.Options.defaults(1);
        var notLm = assertThrows(IllegalArgumentException.class,
                () -> LlavaAssembler.assemble(clip, clip, o, dir.resolve("x1"), false));
        assertTrue(notLm.getMessage().contains("causal LM") && notLm.getMessage().contains(clip.toString()),
                notLm.getMessage());
        var notClip = assertThrows(IllegalArgumentException.class,
                () -> LlavaAssembler.assemble(llm, llm, o, dir.resolve("x2"), false));
        assertTrue(notClip.getMessage().contains("CLIP") && notClip.getMessage().contains("llama"),
                notClip.getMessage());
        var noConfig = assertThrows(IllegalArgumentException.class,
                () -> LlavaAssembler.assemble(llm, dir.resolve("missing"), o, dir.resolve("x3"), false));
        assertTrue(noConfig.getMessage().contains("config.json"), noConfig.getMessage());

        // An LLM whose tokenizer lacks <image>.
        Path tok = dir.resolve("tok-no-image");
        TextTokenizerFiles.writeWithoutImageToken(tok);
        Path noImage = dir.resolve("llm-no-image");
        Files.createDirectories(noImage);
        for (String f : Set.of("config.json", "model.safetensors")) Files.copy(llm.resolve(f), noImage.resolve(f));
        for (String f : Set.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")) {
            if (Files.exists(tok.resolve(f))) Files.copy(tok.resolve(f), noImage.resolve(f));
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> LlavaAssembler.assemble(noImage, clip, o, dir.resolve("x4"), false));
        assertTrue(e.getMessage().contains("<image>") && e.getMessage().contains("tokenizer"), e.getMessage());
        for (String x : List.of("x1", "x2", "x3", "x4")) assertFalse(Files.exists(dir.resolve(x)), x);

        assertThrows(IllegalArgumentException.class, () -> new LlavaAssembler.Options("mlp3x", -2, "default", "pad", 1));
    }

    /** A trained tokenizer with the usual special tokens except {@code <image>}. */
    private static final class TextTokenizerFiles {
        static void writeWithoutImageToken(Path dir) throws Exception {
            var t = BpeTokenizerTrainer.train(List.of("a red ball on the left", "a blue cup on the right"), 300,
                    List.of(), 1);
            t.save(dir);
            // Drop <image> from the saved files by renaming it: still a valid tokenizer, but without that token.
            for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")) {
                Path p = dir.resolve(f);
                if (Files.exists(p)) Files.writeString(p, Files.readString(p).replace("<image>", "<picture>"));
            }
        }
    }
}
