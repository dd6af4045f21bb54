package org.tga4j.projector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.datasets.Turn;
import org.tga4j.runtime.config.LlavaConfig;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.text.ChatTemplates;
import org.tga4j.runtime.text.TextTokenizer;

/**
 * The positions the loss reads — image, retrieved text, caption (target pass) and shifted answer labels — select
 * exactly the intended tokens, checked by decoding them, for every template, in a padded batch.
 */
class SpanSelectionTest {
    @TempDir static Path tmp;
    static Path model, world;
    static TextTokenizer tok;
    static LlavaConfig llava;

    @BeforeAll
    static void setUp() throws Exception {
        model = Fixtures.tinyModel(tmp.resolve("model"), 9);
        world = Fixtures.world(tmp.resolve("world"), 14);
        tok = TextTokenizer.load(model);
        llava = (LlavaConfig) ModelConfig.load(model);
    }

    @AfterAll
    static void tearDown() {
        tok.close();
    }

    private static String image() {
        return world.resolve("images/train").toFile().list((d, n) -> n.endsWith(".png"))[0];
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "llava_llama_2", "llava_v1", "mistral_instruct", "chatml"})
    void spansSelectTheIntendedTokensWithPadding(String template) {
        int stage = template.equals("plain") ? 1 : 2;
        TrainConfig cfg = TrainConfig.defaults(stage).withOverrides(Map.of("method", "tga"));
        ExampleEncoder enc = new ExampleEncoder(ChatTemplates.byName(template), tok, llava,
                new ImageRoot(world.resolve("images")), cfg);
        String caption = "a red knife on the left and a blue ball";
        String retrieved = "a green cup in the center";
        String img = "train/" + image();
        List<Turn> turns = stage == 1
                ? List.of(new Turn("human", "Describe the image briefly.\n<image>"), new Turn("gpt", caption))
                : List.of(new Turn("human", "<image>\nWhat is on the left?"), new Turn("gpt", "A red knife."),
                        new Turn("human", "What color is the ball?"), new Turn("gpt", "The ball is blue."));
        LlavaRecord long_ = new LlavaRecord("a", img, turns).withTga(caption, retrieved, null);
        LlavaRecord short_ = new LlavaRecord("b", img, List.of(new Turn("human", "<image>\nHi?"), new Turn("gpt", "Yes.")))
                .withTga("a cup", "a tree", null);
        List<TrainingExample> ex = new ArrayList<>(List.of(enc.encode(short_), enc.encode(long_)));
        Batch b = Batch.of(ex, tok.padId());
        assertTrue(ex.get(0).length() < b.length(), "row 0 is padded");

        for (int row = 0; row < 2; row++) {
            String cap = row == 0 ? "a cup" : caption;
            String ret = row == 0 ? "a tree" : retrieved;
            int[] ids = b.ids()[row];
            // image: exactly the image-token positions, all of them, 1/|span| each
            List<Integer> imagePos = positions(b.imageWeights()[row]);
            assertEquals(llava.imageTokensPerImage(), imagePos.size());
            for (int t = 0; t < ids.length; t++) {
                assertEquals(ids[t] == llava.imageTokenIndex(), imagePos.contains(t), template + " image position " + t);
            }
            // retrieved text: stage 2 only
            List<Integer> retrievedPos = positions(b.retrievedWeights()[row]);
            if (stage == 1) {
                assertTrue(retrievedPos.isEmpty(), "stage 1 has no retrieved span");
                assertFalse(b.hingeRows()[row]);
            } else {
                assertEquals(ret, decode(ids, retrievedPos).strip(), template + " retrieved span");
                assertTrue(b.hingeRows()[row]);
            }
            // caption tokens of the text-only target pass
            List<Integer> capPos = positions(b.captionWeights()[row]);
            assertEquals(cap, decode(b.captionIds()[row], capPos).strip(), template + " caption span");
            for (int t = 0; t < b.captionIds()[row].length; t++) {
                if (!b.captionValid()[row][t]) assertEquals(0f, b.captionWeights()[row][t], "caption padding masked");
                assertFalse(b.captionIds()[row][t] == llava.imageTokenIndex() && capPos.contains(t));
            }
            // padding: invalid, never weighted, never a label
            for (int t = 0; t < ids.length; t++) {
                if (!b.valid()[row][t]) {
                    assertEquals(0f, b.imageWeights()[row][t]);
                    assertEquals(0f, b.retrievedWeights()[row][t]);
                }
            }
        }
        // shifted labels: position t predicts token t+1, and the targets spell the answers
        StringBuilder answers = new StringBuilder();
        List<Integer> rowTargets = new ArrayList<>();
        for (int i = 0; i < b.lmPositions().length; i++) {
            long flat = b.lmPositions()[i];
            int row = (int) (flat / b.length()), t = (int) (flat % b.length());
            assertEquals(b.ids()[row][t + 1], (int) b.lmTargets()[i], "target is the next token");
            assertTrue(b.valid()[row][t + 1], "no label on padding");
            if (row == 1) rowTargets.add((int) b.lmTargets()[i]);
        }
        answers.append(tok.decode(rowTargets.stream().mapToInt(Integer::intValue).toArray()));
        String text = answers.toString();
        if (stage == 1) {
            assertEquals(caption, text.strip(), "stage-1 labels are the caption");
        } else {
            assertTrue(text.contains("A red knife.") && text.contains("The ball is blue."), template + ": " + text);
            assertFalse(text.contains("What") || text.contains("left?"), template + ": no question tokens: " + text);
        }
    }

    private static List<Integer> positions(float[] w) {
        List<Integer> out = new ArrayList<>();
        for (int t = 0; t < w.length; t++) if (w[t] != 0f) out.add(t);
        return out;
    }

    private static String decode(int[] ids, List<Integer> pos) {
        return tok.decode(pos.stream().mapToInt(p -> ids[p]).toArray());
    }
}
