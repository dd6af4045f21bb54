package org.tga4j.projector.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.datasets.DatasetFormatException;
import org.tga4j.projector.NonFiniteLossException;
import org.tga4j.runtime.Generation;
import org.tga4j.runtime.Lvlm;
import org.tga4j.runtime.RandomModels;
import org.tga4j.runtime.model.TorchThreads;
import org.tga4j.runtime.Request;
import org.tga4j.runtime.text.BpeTokenizerTrainer;
import org.tga4j.runtime.weights.Checkpoint;

/** Text pretraining of a tiny llama on a generated corpus, through the runtime's decoder and DJL autograd. */
class TextPretrainerTest {
    private static final String[] ANIMALS = {"cat", "dog", "fox", "owl", "bee", "cow", "pig", "rat"};
    private static final String[] PLACES = {"house", "forest", "river", "tree", "hive", "field", "barn", "cellar"};

    @TempDir static Path shared;
    static Path model, conversations, documents;

    /** A tokenizer trained on the corpus, a 2-layer llama (hidden 64) around it, and the corpus with bad records. */
    private static int threadsBefore;

    /**
     * One libtorch thread: a hidden-64 model gains nothing from two, and on a machine shared with other builds every
     * op of a 2-thread pool waits at its barrier for a descheduled thread (measured: the same 120 steps took 4 s
     * alone and 150 s at load average 13). Restored afterwards for the other tests of this JVM.
     */
    @BeforeAll
    static void setUp() throws IOException {
        threadsBefore = TorchThreads.current();
        JniUtils.setNumThreads(1);
        corpus(shared);
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threadsBefore);
    }

    static void corpus(Path shared) throws IOException {
        List<String> rows = new ArrayList<>(), texts = new ArrayList<>(), docs = new ArrayList<>();
        for (int i = 0; i < ANIMALS.length; i++) {
            String q = "Where does the " + ANIMALS[i] + " live?", a = "The " + ANIMALS[i] + " lives in the " + PLACES[i] + ".";
            rows.add(row("c" + i, q, a));
            texts.add(q);
            texts.add(a);
            docs.add("{\"id\":\"d" + i + "\",\"text\":\"" + a + "\"}");
        }
        rows.add("{\"id\":\"img\",\"image\":\"a.png\",\"conversations\":[{\"from\":\"human\",\"value\":\"<image>\\nWhat?\"},"
                + "{\"from\":\"gpt\",\"value\":\"A cat.\"}]}");
        rows.add("{\"id\":\"bad-speaker\",\"conversations\":[{\"from\":\"robot\",\"value\":\"hi\"},"
                + "{\"from\":\"gpt\",\"value\":\"A cat.\"}]}");
        docs.add("{\"id\":\"broken\",\"text\":");
        docs.add("{\"id\":\"empty\",\"text\":\"   \"}");
        conversations = Files.writeString(shared.resolve("conv.json"), "[\n" + String.join(",\n", rows) + "\n]\n");
        documents = Files.writeString(shared.resolve("docs.jsonl"), String.join("\n", docs) + "\n");
        Path tok = shared.resolve("tok");
        List<String> corpus = new ArrayList<>();
        for (int k = 0; k < 5; k++) corpus.addAll(texts);
        corpus.add("A chat between a curious human and an artificial intelligence assistant. USER: ASSISTANT:");
        BpeTokenizerTrainer.train(corpus, 400, List.of(), 2).save(tok);
        model = RandomModels.write(RandomModels.Spec.llama(2, 64, 4, 2, 0, 7), shared.resolve("base"), false, tok);
    }

    private static String row(String id, String q, String a) {
        return "{\"id\":\"" + id + "\",\"conversations\":[{\"from\":\"human\",\"value\":\"" + q + "\"},"
                + "{\"from\":\"gpt\",\"value\":\"" + a + "\"}]}";
    }

    private static TextPretrainConfig config(Path out, int steps) {
        return TextPretrainConfig.defaults().withOverrides(Map.of("model", model.toString(), "output", out.toString(),
                "conversations", List.of(conversations.toString()), "documents", List.of(documents.toString()),
                "maxSteps", steps, "batchSize", 8, "learningRate", 2e-3, "systemPrompt", "", "seed", 3));
    }

    @Test
    void learnsTheAnswersAndWritesALoadableCheckpoint(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("lm");
        List<Integer> seen = new ArrayList<>();
        TextPretrainer.Result r = new TextPretrainer().run(config(out, 120), new TextPretrainer.Listener() {
            @Override
            public void step(int step, int total, double loss) {
                seen.add(step);
                assertEquals(120, total);
            }
        });
        assertEquals(120, r.steps());
        assertEquals(120, seen.size());
        assertEquals(16, r.examples(), "8 conversations + 8 documents");
        assertEquals(3, r.skipped(), "unknown speaker, malformed JSON line, empty text");
        assertEquals(1, r.imageRowsIgnored());
        assertTrue(r.finalLoss() < r.firstLoss() / 10, "loss " + r.firstLoss() + " -> " + r.finalLoss());

        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "generation_config.json", TextPretrainConfig.FILE, PretrainLog.FILE, PretrainLog.PLOT)) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertEquals(120, PretrainLog.read(out.resolve(PretrainLog.FILE)).size());
        assertEquals(config(out, 120), TextPretrainConfig.read(out.resolve(TextPretrainConfig.FILE)));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(out), s.toList(), "no temp directory left beside the output");
        }

        // Nothing frozen: every tensor moved away from the random initialisation.
        try (Checkpoint before = Checkpoint.open(model); Checkpoint after = Checkpoint.open(out);
                NDManager m = NDManager.newBaseManager()) {
            assertEquals(before.names(), after.names());
            for (String name : before.names()) {
                NDArray a = before.load(name, m), b = after.load(name, m);
                assertEquals(a.getShape(), b.getShape(), name);
                assertTrue(a.sub(b).abs().max().getFloat() > 1e-4, name + " did not change");
            }
        }

        try (Lvlm lvlm = Lvlm.load(out)) {
            for (int i : new int[] {0, 3, 6}) {
                Request q = Request.text("Where does the " + ANIMALS[i] + " live?").withSystemPrompt("");
                Generation g = lvlm.generate(q, lvlm.greedy(20));
                assertEquals("The " + ANIMALS[i] + " lives in the " + PLACES[i] + ".", g.text().strip());
                assertEquals("stop", g.stopReason());
            }
        }
    }

    @Test
    void aFailingRunLeavesTheExistingOutputUntouched(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("lm");
        new TextPretrainer().run(config(out, 2), null);
        byte[] weights = Files.readAllBytes(out.resolve("model.safetensors"));
        byte[] metrics = Files.readAllBytes(out.resolve(PretrainLog.FILE));

        TextPretrainer poisoned = new TextPretrainer();
        poisoned.beforeStep = (step, lm) -> {
            if (step == 3) lm.parameters().get("model.norm.weight").set(new NDIndex(":"), Float.NaN);
        };
        TextPretrainConfig cfg = config(out, 6).withOverrides(Map.of("replace", true));
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> poisoned.run(cfg, null));
        assertTrue(e.getMessage().contains("step 4"), e.getMessage());
        assertArrayEquals(weights, Files.readAllBytes(out.resolve("model.safetensors")));
        assertArrayEquals(metrics, Files.readAllBytes(out.resolve(PretrainLog.FILE)));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(out), s.toList(), "the failed run's temp directory is removed");
        }
    }

    @Test
    void nonFiniteGradientsWithAFiniteLossAreRetriedOnceThenStopTheRun(@TempDir Path dir) {
        TextPretrainer once = new TextPretrainer();
        once.afterBackward = (step, lm) -> {
            if (step == 2) poisonGradient(lm);
        };
        TextPretrainer.Result r = once.run(config(dir.resolve("a"), 4), null);
        assertEquals(1, r.retriedSteps().size(), r.retriedSteps().toString());
        assertTrue(r.retriedSteps().get(0).startsWith("step 3 ") && r.retriedSteps().get(0).contains("lm_head.weight"),
                r.retriedSteps().toString());
        assertTrue(Double.isFinite(r.finalLoss()));

        // The hook runs after the first backward only; NaN weights as well make the retry fail too.
        TextPretrainer always = new TextPretrainer();
        always.afterBackward = (step, lm) -> {
            poisonGradient(lm);
            lm.parameters().get("model.norm.weight").set(new NDIndex(":"), Float.NaN);
        };
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                () -> always.run(config(dir.resolve("b"), 4), null));
        assertTrue(e.getMessage().contains("step 1"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("b")));
    }

    private static void poisonGradient(CausalLm lm) {
        try (NDArray g = lm.parameters().get("lm_head.weight").getGradient()) {
            g.set(new NDIndex(":"), Float.NaN);
        }
    }

    @Test
    void refusesToReplaceAnExistingOutputUnlessAsked(@TempDir Path dir) throws IOException {
        Path out = Files.createDirectories(dir.resolve("lm"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TextPretrainer().run(config(out, 1), null));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void failOnBadRecordStopsAtTheFirstOneNamingTheFile(@TempDir Path dir) {
        TextPretrainConfig cfg = config(dir.resolve("lm"), 1).withOverrides(Map.of("failOnBadRecord", true));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> new TextPretrainer().run(cfg, null));
        assertTrue(e.getMessage().contains(conversations.toString()) && e.getMessage().contains("bad-speaker"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("lm")));
    }

    @Test
    void rejectsAModelThatIsNotATextOnlyCausalLm(@TempDir Path dir) throws IOException {
        Path clip = RandomModels.write(new RandomModels.Spec("clip", 1, 32, 2, 2, 0, 300, 1, 1, 32, 16, 8),
                dir.resolve("clip"), false, model);
        TextPretrainConfig cfg = config(dir.resolve("lm"), 1).withOverrides(Map.of("model", clip.toString()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TextPretrainer().run(cfg, null));
        assertTrue(e.getMessage().contains("text-only causal LM"), e.getMessage());
    }
}
