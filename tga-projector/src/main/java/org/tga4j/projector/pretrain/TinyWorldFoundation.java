package org.tga4j.projector.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tga4j.projector.TrainingThreads;
import org.tga4j.runtime.LlavaAssembler;
import org.tga4j.runtime.ModelWriter;
import org.tga4j.runtime.RandomModels;
import org.tga4j.runtime.model.TorchThreads;
import org.tga4j.runtime.text.BpeTokenizerTrainer;
import org.tga4j.runtime.text.ChatTemplates;

/**
 * TinyWorld's foundation models, trained once per (world, specification) and cached: a BPE tokenizer trained on the
 * world's texts; the text LLM (LLaMA architecture) trained on text only — scene descriptions, questions about scenes,
 * and safety dialogues that refuse every request to use or get what a scene with a hazardous object shows (and answer
 * it for a benign scene; describing is answered for every scene); a CLIP (ViT + small text
 * tower) trained contrastively on all training image–caption pairs; and the untrained LLaVA they make together (CLIP
 * vision tower + fresh projector + the LLM), the starting point of both the baseline and TGA. All four are ordinary HF
 * checkpoints. The cache entry is keyed by the SHA-256 of the world's {@code world.json} (seed, configuration, file
 * hashes), the specification and libtorch's thread count, and appears atomically when complete.
 */
public final class TinyWorldFoundation {
    /** Bump when the recipe changes in a way the specification does not capture. */
    static final int RECIPE_VERSION = 6;
    static final String MARKER = "foundation.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern SCENE = Pattern.compile("^Scene: (.*)\\.\\n(.*)$", Pattern.DOTALL);

    private TinyWorldFoundation() {}

    /**
     * What to train.
     *
     * @param vocab BPE vocabulary size
     * @param llmLayers decoder layers of the text LLM
     * @param llmHidden its hidden size
     * @param llmHeads its attention heads
     * @param textEpochs passes over the text corpus
     * @param textBatch text sequences per step
     * @param textLr peak learning rate of the text LLM
     * @param visionLayers CLIP ViT blocks
     * @param visionHidden CLIP ViT width
     * @param patchSize ViT patch side in pixels
     * @param clipTextLayers CLIP text-tower blocks
     * @param clipTextHidden CLIP text-tower width (also the joint embedding size)
     * @param clipEpochs passes over the image–caption pairs
     * @param clipBatch pairs per contrastive batch
     * @param clipLr peak learning rate of CLIP
     * @param template the LLM's chat template
     * @param seed seed of every initialisation and data order
     */
    public record Spec(int vocab, int llmLayers, int llmHidden, int llmHeads, int textEpochs, int textBatch,
            double textLr, int visionLayers, int visionHidden, int patchSize, int clipTextLayers, int clipTextHidden,
            int clipEpochs, int clipBatch, double clipLr, String template, long seed) {

        /** The default demo's models. */
        public static Spec defaults() {
            return new Spec(800, 4, 128, 4, 2, 8, 3e-3, 4, 128, 16, 2, 128, 16, 32, 1e-3, "llava_v1", 1);
        }

        /** This specification with a text LLM of {@code layers} decoder layers of width {@code hidden} (heads of 32). */
        public Spec withLlm(int layers, int hidden) {
            if (layers < 1 || hidden < 32 || hidden % 32 != 0) {
                throw new IllegalArgumentException("LLM size " + layers + "x" + hidden
                        + ": need at least 1 layer and a width that is a multiple of 32 (the head size)");
            }
            return new Spec(vocab, layers, hidden, hidden / 32, textEpochs, textBatch, textLr, visionLayers,
                    visionHidden, patchSize, clipTextLayers, clipTextHidden, clipEpochs, clipBatch, clipLr, template,
                    seed);
        }

        /** This specification with the text LLM trained for {@code epochs} epochs at peak learning rate {@code lr}. */
        public Spec withLlmTraining(int epochs, double lr) {
            if (epochs < 1 || !(lr > 0)) {
                throw new IllegalArgumentException("LLM training: need at least 1 epoch and a positive learning rate, got "
                        + epochs + " and " + lr);
            }
            return new Spec(vocab, llmLayers, llmHidden, llmHeads, epochs, textBatch, lr, visionLayers, visionHidden,
                    patchSize, clipTextLayers, clipTextHidden, clipEpochs, clipBatch, clipLr, template, seed);
        }

        /** Small and short, for {@code tga demo --quick} and tests. */
        public static Spec quick() {
            return new Spec(600, 4, 64, 4, 1, 8, 3e-3, 2, 64, 16, 1, 64, 10, 32, 1e-3, "llava_v1", 1);
        }
    }

    /**
     * A cache entry.
     *
     * @param dir the entry
     * @param llm the text LLM (llama checkpoint)
     * @param clip the CLIP dual encoder
     * @param llava CLIP vision tower + fresh projector + the LLM
     * @param cached whether it came from the cache
     * @param stats what the pretraining measured ({@code foundation.json})
     */
    public record Foundation(Path dir, Path llm, Path clip, Path llava, boolean cached, JsonNode stats) {}

    /** Progress of the pretraining. */
    public interface Listener {
        default void progress(String stage, long done, long total) {}

        default void log(String line) {}

        Listener NONE = new Listener() {};
    }

    /** {@code $TGA4J_CACHE}, else {@code $XDG_CACHE_HOME/tga4j}, else {@code ~/.cache/tga4j}. */
    public static Path defaultCacheRoot() {
        String env = System.getenv("TGA4J_CACHE");
        if (env != null && !env.isBlank()) return Path.of(env);
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "tga4j");
        return Path.of(System.getProperty("user.home"), ".cache", "tga4j");
    }

    /** The cache key of a world and a specification. */
    public static String key(Path world, Spec spec) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(Files.readAllBytes(world.resolve("world.json")));
            d.update(JSON.writeValueAsBytes(spec));
            d.update(("recipe " + RECIPE_VERSION).getBytes(StandardCharsets.UTF_8));
            // libtorch's parallel reductions add in an order that depends on its thread count: models trained on
            // another count differ.
            d.update(("torch threads " + TorchThreads.current()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(world + ": cannot read world.json: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the cached foundation for this world and specification, training it first when there is none. */
    public static Foundation ensure(Path world, Spec spec, Path cacheRoot, Listener listener) {
        Listener l = listener == null ? Listener.NONE : listener;
        String key = key(world, spec);
        Path dir = cacheRoot.resolve("tinyworld-foundation-" + key).toAbsolutePath();
        if (Files.isRegularFile(dir.resolve(MARKER))) return open(dir, true);
        try {
            ModelWriter.buildDirectory(dir, tmp -> {
                Files.writeString(tmp.resolve(MARKER), JSON.writeValueAsString(build(world, spec, key, tmp, l)));
                return null;
            });
            return open(dir, false);
        } catch (IOException e) {
            throw new UncheckedIOException("building the TinyWorld foundation in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Foundation open(Path dir, boolean cached) {
        try {
            JsonNode stats = JSON.readTree(dir.resolve(MARKER).toFile());
            return new Foundation(dir, dir.resolve("llm"), dir.resolve("clip"), dir.resolve("llava"), cached, stats);
        } catch (IOException e) {
            throw new UncheckedIOException(dir.resolve(MARKER) + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode build(Path world, Spec spec, String key, Path dir, Listener l) throws IOException {
        JsonNode w = JSON.readTree(world.resolve("world.json").toFile());
        ObjectNode stats = JSON.createObjectNode();
        stats.put("key", key);
        stats.set("spec", JSON.valueToTree(spec));
        stats.put("world_seed", w.path("seed").asLong());
        stats.put("world_images", w.path("images").asInt());

        // 1. The tokenizer, from every text of the world.
        l.progress("tokenizer", 0, 1);
        Path framings = dir.resolve("corpus/framings.json");
        writeFramings(world, w, framings);
        Path tok = dir.resolve("tokenizer");
        List<String> corpus = corpus(world, w, spec.template());
        BpeTokenizerTrainer.train(corpus, spec.vocab(), List.of(), 2).withChatTemplate(spec.template()).save(tok);

        // 2. + 3. The text LLM and CLIP train at once, each on its own thread (the same models as one after the other).
        TrainingThreads.Progress shared = new TrainingThreads.Progress(2, l::progress, l::log);
        TrainingThreads.Both<ObjectNode, ObjectNode> both = TrainingThreads.both(
                () -> textLlm(world, w, spec, dir, framings, tok, shared), () -> clip(world, w, spec, dir, tok, shared));
        stats.set("text_llm", both.first());
        ObjectNode cs = both.second();
        stats.set("clip", cs);

        // 4. The LLaVA both methods start from.
        LlavaAssembler.assemble(dir.resolve("llm"), dir.resolve("clip"), LlavaAssembler.Options.defaults(spec.seed()),
                dir.resolve("llava"), false);
        ModelWriter.deleteRecursively(dir.resolve("llm-init"));
        ModelWriter.deleteRecursively(dir.resolve("clip-init"));

        // 5. What the LLaVA will see: do the vision features it reads separate the object classes?
        VisionProbe.Result vp = VisionProbe.run(dir.resolve("llava"), world);
        if (Double.isNaN(vp.classAccuracy())) {
            l.log("vision probe skipped: the world has no single-object images in both the train and the test split");
        } else {
            l.log(String.format("vision features LLaVA reads: held-out class probe %.1f%% (chance %.1f%%), colour %.1f%%"
                    + " (%d train / %d test single-object images)", 100 * vp.classAccuracy(), 100 * vp.classChance(),
                    100 * vp.colourAccuracy(), vp.trainImages(), vp.testImages()));
            cs.set("vision_probe", JSON.valueToTree(vp));
        }
        return stats;
    }

    /** The text LLM: text only (scene descriptions, questions about scenes, safety dialogues, the framings). */
    private static ObjectNode textLlm(Path world, JsonNode w, Spec spec, Path dir, Path framings, Path tok,
            TrainingThreads.Progress l) {
        long t0 = System.nanoTime();
        Path llmInit = dir.resolve("llm-init");
        RandomModels.write(new RandomModels.Spec("llama", spec.llmLayers(), spec.llmHidden(), spec.llmHeads(),
                spec.llmHeads(), 0, spec.vocab(), spec.seed(), 1, 32, w.path("size").asInt(), spec.patchSize()),
                llmInit, false, tok);
        TextPretrainConfig text = TextPretrainConfig.defaults().withOverrides(Map.of(
                "model", llmInit.toString(), "output", dir.resolve("llm").toString(),
                "conversations", List.of(world.resolve("text/text_qa.json").toString(),
                        world.resolve("text/text_safety.json").toString(), framings.toString()),
                "documents", List.of(world.resolve("text/scene_descriptions.jsonl").toString()),
                "template", spec.template(), "epochs", spec.textEpochs(), "batchSize", spec.textBatch(),
                "learningRate", spec.textLr(), "minLearningRate", spec.textLr() / 10, "seed", spec.seed()));
        TextPretrainer.Result tr = new TextPretrainer().run(text, new TextPretrainer.Listener() {
            @Override
            public void step(int step, int total, double loss) {
                l.update("text LLM", step / (double) total, String.format("step %d/%d loss %.3f", step, total, loss));
            }
        });
        l.log(String.format("text LLM: %,d parameters, %d steps on %d sequences, loss %.3f -> %.3f (%.0f s)",
                tr.parameters(), tr.steps(), tr.examples(), tr.firstLoss(), tr.finalLoss(), tr.seconds()));
        ObjectNode ts = JSON.createObjectNode();
        ts.put("parameters", tr.parameters());
        ts.put("steps", tr.steps());
        ts.put("examples", tr.examples());
        ts.put("first_loss", tr.firstLoss());
        ts.put("final_loss", tr.finalLoss());
        ts.put("seconds", (System.nanoTime() - t0) / 1e9);
        return ts;
    }

    /** CLIP: contrastive on every training image–caption pair, hazardous ones included. */
    private static ObjectNode clip(Path world, JsonNode w, Spec spec, Path dir, Path tok,
            TrainingThreads.Progress l) {
        long t0 = System.nanoTime();
        Path clipInit = dir.resolve("clip-init");
        RandomModels.write(new RandomModels.Spec("clip", spec.clipTextLayers(), spec.clipTextHidden(),
                Math.max(1, spec.clipTextHidden() / 32), Math.max(1, spec.clipTextHidden() / 32), 0, spec.vocab(),
                spec.seed(), spec.visionLayers(), spec.visionHidden(), w.path("size").asInt(), spec.patchSize()),
                clipInit, false, tok);
        ClipPretrainConfig clip = ClipPretrainConfig.defaults().withOverrides(Map.of(
                "model", clipInit.toString(), "data", world.resolve("llava/pretrain_train.json").toString(),
                "imageRoot", world.resolve("images").toString(),
                "valData", world.resolve("llava/pretrain_val.json").toString(), "output", dir.resolve("clip").toString(),
                "epochs", spec.clipEpochs(), "batchSize", spec.clipBatch(), "learningRate", spec.clipLr(),
                "seed", spec.seed(), "resetLogitScale", true));
        ClipPretrainer.Result cr = new ClipPretrainer(clip, new ClipPretrainListener() {
            @Override
            public void step(int step, int total, double loss) {
                l.update("CLIP", step / (double) total, String.format("step %d/%d loss %.3f", step, total, loss));
            }
        }).run(false);
        l.log(String.format("CLIP: %d steps, loss %.3f -> %.3f, held-out image->caption top-1 %.1f%% (chance %.1f%%)"
                + " (%.0f s)", cr.steps(), cr.firstLoss(), cr.lastLoss(), 100 * cr.after().top1(),
                100 * cr.after().chanceTop1(), (System.nanoTime() - t0) / 1e9));
        ObjectNode cs = JSON.createObjectNode();
        cs.put("steps", cr.steps());
        cs.put("first_loss", cr.firstLoss());
        cs.put("last_loss", cr.lastLoss());
        cs.put("val_top1", cr.after().top1());
        cs.put("val_top5", cr.after().top5());
        cs.put("val_chance_top1", cr.after().chanceTop1());
        cs.put("seconds", (System.nanoTime() - t0) / 1e9);
        return cs;
    }

    /**
     * Every text of the world the models will read: captions, conversations, requests, the refusal, and the chat
     * template's own text (system prompt, role tags) once per conversation, as often as a prompt carries it. Without the
     * template's text the tokenizer split the llava_v1 system prompt into 102 tokens of a 133-token text prompt.
     */
    static List<String> corpus(Path world, JsonNode w, String template) throws IOException {
        List<String> templateTexts = ChatTemplates.byName(template).templateTexts();
        List<String> out = new ArrayList<>();
        for (String f : List.of("captions/captions.jsonl", "text/scene_descriptions.jsonl")) {
            for (String line : Files.readAllLines(world.resolve(f))) {
                if (!line.isBlank()) out.add(JSON.readTree(line).path("text").asText());
            }
        }
        for (String f : List.of("text/text_qa.json", "text/text_safety.json", "llava/instruct_train.json",
                "llava/pretrain_train.json")) {
            for (JsonNode r : JSON.readTree(world.resolve(f).toFile())) {
                // As the chat template renders them: every turn follows "USER: " / "ASSISTANT: ", so its first word is
                // learned with its leading space (" Sorry" as one token, as a real tokenizer's corpus would have it).
                for (JsonNode t : r.path("conversations")) out.add(" " + t.path("value").asText());
                out.addAll(templateTexts);
            }
        }
        w.path("requests").forEach(n -> out.add(n.asText()));
        out.add(" " + w.path("refusal").asText());
        out.add("Describe this scene : Describe this image. USER: ASSISTANT: Retrieved Text:");
        return out;
    }

    /**
     * The world's text dialogues in two more framings, so that the LLM's safety rule is about the scene's content, not
     * the {@code Scene: ...} wording: (1) the bare framing {@code {caption}.\n{request}} — the caption where an image
     * prompt has its image ({@code <image>\n{request}}) — for every text-safety and text-QA dialogue, answered as the
     * original; (2) the layer probe's text prompt (world.json's {@code probe_text_template}, e.g. the reference's
     * {@code Describe this scene : {caption}}) answered like the request it stands for ({@code probe_request}), so the
     * probe's text runs ask the LLM something it has seen — unless it is already one of the dialogues' framings.
     */
    static void writeFramings(Path world, JsonNode w, Path out) throws IOException {
        String probe = w.path("probe_text_template").asText("Describe this scene : {caption}");
        String probeRequest = w.path("probe_request").asText("Describe the scene.");
        ArrayNode rows = JSON.createArrayNode();
        for (String f : List.of("text/text_safety.json", "text/text_qa.json")) {
            for (JsonNode r : JSON.readTree(world.resolve(f).toFile())) {
                JsonNode turns = r.path("conversations");
                if (turns.size() < 2) continue;
                Matcher m = SCENE.matcher(turns.get(0).path("value").asText());
                if (!m.matches()) continue;
                rows.add(reframed(r, "bare-", m.group(1) + ".\n" + m.group(2)));
                String probeTurn = probe.replace("{caption}", m.group(1));
                if (m.group(2).strip().equals(probeRequest) && !probeTurn.equals(turns.get(0).path("value").asText())) {
                    ObjectNode p = reframed(r, "probe-", probeTurn);
                    ArrayNode c = (ArrayNode) p.get("conversations");
                    while (c.size() > 2) c.remove(c.size() - 1);
                    rows.add(p);
                }
            }
        }
        Files.createDirectories(out.getParent());
        Files.writeString(out, JSON.writeValueAsString(rows));
    }

    /** A copy of a dialogue whose first user turn is {@code firstTurn}. */
    private static ObjectNode reframed(JsonNode r, String idPrefix, String firstTurn) {
        ObjectNode row = JSON.createObjectNode();
        row.put("id", idPrefix + r.path("id").asText());
        ArrayNode c = row.putArray("conversations");
        JsonNode turns = r.path("conversations");
        c.addObject().put("from", "human").put("value", firstTurn);
        for (int i = 1; i < turns.size(); i++) c.add(turns.get(i).deepCopy());
        return row;
    }
}
