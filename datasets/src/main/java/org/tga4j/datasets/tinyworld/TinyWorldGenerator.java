package org.tga4j.datasets.tinyworld;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.opencv.core.Mat;
import org.tga4j.datasets.AtomicFiles;
import org.tga4j.datasets.CaptionCorpus;
import org.tga4j.datasets.CaptionRecord;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.datasets.Images;
import org.tga4j.datasets.LlavaJsonWriter;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.datasets.SafetyItem;
import org.tga4j.datasets.SafetyManifest;
import org.tga4j.datasets.Turn;

/**
 * Generates a TinyWorld (see {@code docs/tinyworld.md}) into a directory, deterministically from a seed. Layout:
 * <pre>
 * world.json                       seed, config, vocabulary, counts, file list with record counts and SHA-256
 * scenes.jsonl                     scene graph of every image (the ground truth)
 * images/{train,val,test}/tw*.png  the images (image root for every dataset file below)
 * llava/pretrain_{split}.json      LCS-558K style: one human prompt with &lt;image&gt;, gpt = caption
 * llava/instruct_{split}.json      mix-665K style: 2-3 questions on colours/positions/counts; no safety examples
 * captions/captions.jsonl          {"id","text"}: training captions + hazard-describing texts (ids hazard-*)
 * safety/hazard_test.jsonl         manifest of test images with a hazardous object (category = its class)
 * safety/benign_test.jsonl         manifest of test images without one (category benign, expected answer)
 * text/scene_descriptions.jsonl    {"id","text"}: caption sentences of the training scenes
 * text/text_qa.json                text-only LLaVA rows: Q&amp;A describing training scenes, hazardous ones too
 * text/text_safety.json            text-only LLaVA rows: requests to use/get what a training scene shows;
 *                                  hazardous → refusal, benign → a helpful answer
 * contact_sheet.png, contact_sheet_scenes.png   for a person to look at
 * </pre>
 * Everything is built in a hidden sibling directory and moved into place at the end, so a failed run never leaves a
 * half-written world behind. Output bytes depend only on the config's seed, image count, size and fractions.
 */
public final class TinyWorldGenerator {
    /** Progress callback: stage name, done, total. */
    @FunctionalInterface
    public interface Progress {
        void update(String stage, long done, long total);

        Progress NONE = (s, d, t) -> {};
    }

    /** What was generated. */
    public record Result(Path dir, Map<Split, Integer> images, int hazardousTest, int benignTest, int captions) {}

    public static final int FORMAT_VERSION = 3;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> PRETRAIN_PROMPTS = List.of("Describe the image briefly.",
            "Give a short caption of the image.", "What does the image show?", "Summarize the image in a few words.");

    private final TinyWorldConfig config;
    private final Progress progress;

    public TinyWorldGenerator(TinyWorldConfig config, Progress progress) {
        this.config = config;
        this.progress = progress == null ? Progress.NONE : progress;
    }

    /** All scenes of this world, in index order. */
    public List<Scene> scenes() {
        SceneSampler sampler = new SceneSampler(config.seed(), config.trainFraction(), config.valFraction());
        List<Scene> out = new ArrayList<>(config.images());
        for (int i = 0; i < config.images(); i++) out.add(sampler.sample(i));
        return out;
    }

    /**
     * Generates the world into {@code out}, which must not exist or be empty.
     *
     * @throws IllegalArgumentException when {@code out} exists and is not empty (nothing is overwritten)
     */
    public Result generate(Path out) throws IOException {
        return generate(out, false);
    }

    /**
     * As {@link #generate(Path)}; with {@code replace}, an existing world at {@code out} is replaced, and only once the
     * new one is complete.
     */
    public Result generate(Path out, boolean replace) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        if (!replace && Files.exists(target) && (!Files.isDirectory(target) || !isEmptyDir(target))) {
            throw new IllegalArgumentException(target + " exists and is not an empty directory; refusing to overwrite it");
        }
        Files.createDirectories(target.getParent());
        Path stage = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".partial-");
        if (stage.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(stage, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        boolean ok = false;
        try {
            Result r = write(stage);
            Path old = null;
            if (replace && Files.isDirectory(target) && !isEmptyDir(target)) {
                old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
                Files.move(target, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } else if (Files.exists(target)) {
                Files.delete(target);
            }
            Files.move(stage, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            if (old != null) deleteTree(old);
            ok = true;
            return new Result(target, r.images(), r.hazardousTest(), r.benignTest(), r.captions());
        } finally {
            if (!ok) deleteTree(stage);
        }
    }

    private Result write(Path dir) throws IOException {
        Images.loadOpenCv();
        progress.update("scenes", 0, config.images());
        List<Scene> scenes = scenes();
        progress.update("scenes", scenes.size(), scenes.size());
        SceneRenderer renderer = new SceneRenderer(config.size());
        ImageRoot root = new ImageRoot(dir.resolve("images"));
        renderImages(scenes, renderer, root);

        Map<String, Long> records = new LinkedHashMap<>();
        progress.update("files", 0, 9);
        SceneGraphs.write(dir.resolve("scenes.jsonl"), scenes, renderer);
        records.put("scenes.jsonl", (long) scenes.size());
        Map<Split, List<Scene>> bySplit = new EnumMap<>(Split.class);
        for (Split s : Split.values()) bySplit.put(s, new ArrayList<>());
        for (Scene s : scenes) bySplit.get(s.split()).add(s);
        for (Split sp : Split.values()) {
            records.put("llava/pretrain_" + sp.key() + ".json", writePretrain(dir.resolve("llava/pretrain_" + sp.key() + ".json"), bySplit.get(sp)));
            records.put("llava/instruct_" + sp.key() + ".json", writeInstruct(dir.resolve("llava/instruct_" + sp.key() + ".json"), bySplit.get(sp)));
        }
        progress.update("files", 2, 9);
        List<CaptionRecord> captions = new ArrayList<>();
        for (Scene s : bySplit.get(Split.TRAIN)) captions.add(new CaptionRecord(s.id(), s.caption()));
        for (ObjectClass c : ObjectClass.hazards()) {
            List<String> texts = TinyWorldLanguage.hazardTexts(c);
            for (int i = 0; i < texts.size(); i++) captions.add(new CaptionRecord(String.format("hazard-%s-%03d", c.key(), i), texts.get(i)));
        }
        CaptionCorpus.write(dir.resolve("captions/captions.jsonl"), captions, CaptionCorpus.Style.TEXT);
        records.put("captions/captions.jsonl", (long) captions.size());
        progress.update("files", 3, 9);

        List<SafetyItem> hazard = new ArrayList<>(), benign = new ArrayList<>();
        for (Scene s : bySplit.get(Split.TEST)) {
            Path img = root.resolve(SceneGraphs.imagePath(s));
            if (s.hazardous()) {
                hazard.add(new SafetyItem(s.id(), img, s.hazard().key(), null, s.caption(), SafetyItem.Expected.REFUSE, "tinyworld"));
            } else {
                benign.add(new SafetyItem(s.id(), img, "benign", null, s.caption(), SafetyItem.Expected.ANSWER, "tinyworld"));
            }
        }
        SafetyManifest.write(dir.resolve("safety/hazard_test.jsonl"), hazard, root);
        SafetyManifest.write(dir.resolve("safety/benign_test.jsonl"), benign, root);
        records.put("safety/hazard_test.jsonl", (long) hazard.size());
        records.put("safety/benign_test.jsonl", (long) benign.size());
        progress.update("files", 5, 9);

        List<Scene> train = bySplit.get(Split.TRAIN);
        List<CaptionRecord> descriptions = train.stream()
                .map(s -> new CaptionRecord(s.id(), TinyWorldLanguage.sentence(s.caption()))).toList();
        CaptionCorpus.write(dir.resolve("text/scene_descriptions.jsonl"), descriptions, CaptionCorpus.Style.TEXT);
        records.put("text/scene_descriptions.jsonl", (long) descriptions.size());
        records.put("text/text_qa.json", writeTextQa(dir.resolve("text/text_qa.json"), train));
        records.put("text/text_safety.json", writeTextSafety(dir.resolve("text/text_safety.json"), train));
        progress.update("files", 8, 9);

        ContactSheet.writeClassSheet(dir.resolve("contact_sheet.png"), config.size(), 8, config.seed(), 2);
        ContactSheet.writeSceneSheet(dir.resolve("contact_sheet_scenes.png"), train.subList(0, Math.min(48, train.size())),
                config.size(), 8, 2);
        records.put("contact_sheet.png", null);
        records.put("contact_sheet_scenes.png", null);
        writeWorldJson(dir, bySplit, records);
        progress.update("files", 9, 9);
        Map<Split, Integer> counts = new EnumMap<>(Split.class);
        bySplit.forEach((k, v) -> counts.put(k, v.size()));
        return new Result(dir, counts, hazard.size(), benign.size(), captions.size());
    }

    private void renderImages(List<Scene> scenes, SceneRenderer renderer, ImageRoot root) throws IOException {
        AtomicLong done = new AtomicLong();
        long total = scenes.size();
        progress.update("images", 0, total);
        ExecutorService pool = Executors.newFixedThreadPool(config.threads());
        try {
            List<Future<?>> futures = new ArrayList<>();
            int chunk = 64;
            for (int start = 0; start < scenes.size(); start += chunk) {
                List<Scene> part = scenes.subList(start, Math.min(scenes.size(), start + chunk));
                futures.add(pool.submit(() -> {
                    for (Scene s : part) {
                        Mat m = renderer.render(s);
                        try {
                            Images.write(root.resolve(SceneGraphs.imagePath(s)), m);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        } finally {
                            m.release();
                        }
                        long d = done.incrementAndGet();
                        if (d % 50 == 0 || d == total) progress.update("images", d, total);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof UncheckedIOException u) throw u.getCause();
                    if (c instanceof RuntimeException r) throw r;
                    throw new IOException("rendering failed", c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while rendering", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static SplittableRandom rnd(Scene s, long salt) {
        return new SplittableRandom(SceneSampler.mix(s.renderSeed() ^ salt));
    }

    private long writePretrain(Path file, List<Scene> scenes) throws IOException {
        try (LlavaJsonWriter w = new LlavaJsonWriter(file)) {
            for (Scene s : scenes) {
                SplittableRandom r = rnd(s, 0x5052455452L);
                String prompt = PRETRAIN_PROMPTS.get(r.nextInt(PRETRAIN_PROMPTS.size()));
                String human = r.nextBoolean() ? Turn.IMAGE_TOKEN + "\n" + prompt : prompt + "\n" + Turn.IMAGE_TOKEN;
                w.write(new LlavaRecord(s.id(), SceneGraphs.imagePath(s),
                        List.of(new Turn(Turn.HUMAN, human), new Turn(Turn.GPT, s.caption()))));
            }
            w.commit();
            return w.count();
        }
    }

    private long writeInstruct(Path file, List<Scene> scenes) throws IOException {
        try (LlavaJsonWriter w = new LlavaJsonWriter(file)) {
            for (Scene s : scenes) {
                SplittableRandom r = rnd(s, 0x494E535452L);
                List<TinyWorldLanguage.QA> qas = TinyWorldLanguage.pick(s, 2 + r.nextInt(2), r);
                w.write(new LlavaRecord(s.id(), SceneGraphs.imagePath(s),
                        TinyWorldLanguage.conversation(Turn.IMAGE_TOKEN + "\n", qas, false)));
            }
            w.commit();
            return w.count();
        }
    }

    private long writeTextQa(Path file, List<Scene> train) throws IOException {
        try (LlavaJsonWriter w = new LlavaJsonWriter(file)) {
            for (Scene s : train) {
                SplittableRandom r = rnd(s, 0x5458545141L);
                List<TinyWorldLanguage.QA> qas = TinyWorldLanguage.pick(s, 2 + r.nextInt(2), r);
                w.write(new LlavaRecord("text-qa-" + s.id(), null,
                        TinyWorldLanguage.conversation(TinyWorldLanguage.textPrefix(s), qas, false)));
            }
            w.commit();
            return w.count();
        }
    }

    private long writeTextSafety(Path file, List<Scene> train) throws IOException {
        try (LlavaJsonWriter w = new LlavaJsonWriter(file)) {
            for (Scene s : train) {
                SplittableRandom r = rnd(s, 0x534146455459L);
                boolean refuse = s.hazardous();
                Map<String, JsonNode> extra = Map.of("hazardous", BooleanNode.valueOf(refuse));
                // Two of the use requests, one of them the probe's, so the layer probe's text runs ask a trained request.
                List<String> requests = TinyWorldLanguage.USE_REQUESTS.stream()
                        .filter(q -> !q.equals(TinyWorldLanguage.PROBE_REQUEST)).toList();
                List<String> asked = List.of(TinyWorldLanguage.PROBE_REQUEST, requests.get(r.nextInt(requests.size())));
                int k = 0;
                for (String request : asked) {
                    TinyWorldLanguage.QA qa = new TinyWorldLanguage.QA(request, TinyWorldLanguage.useAnswer(request, s));
                    w.write(new LlavaRecord("text-safety-" + s.id() + "-" + k++, null,
                            TinyWorldLanguage.conversation(TinyWorldLanguage.textPrefix(s), List.of(qa), refuse), null, null, null, extra));
                }
            }
            w.commit();
            return w.count();
        }
    }

    private void writeWorldJson(Path dir, Map<Split, List<Scene>> bySplit, Map<String, Long> records) throws IOException {
        ObjectNode w = JSON.createObjectNode();
        w.put("format", "tinyworld");
        w.put("version", FORMAT_VERSION);
        w.put("seed", config.seed());
        w.put("images", config.images());
        w.put("size", config.size());
        w.put("image_root", "images");
        ObjectNode splits = w.putObject("splits");
        splits.put("assignment", "scenes of 2-3 objects: hash of the composition (class, colour, position of every object) and the seed;"
                + " one-object scenes: hash of the image id and the seed");
        for (Split s : Split.values()) {
            ObjectNode n = splits.putObject(s.key());
            n.put("fraction", s == Split.TRAIN ? config.trainFraction() : s == Split.VAL ? config.valFraction()
                    : 1 - config.trainFraction() - config.valFraction());
            n.put("images", bySplit.get(s).size());
            n.put("hazardous_images", bySplit.get(s).stream().filter(Scene::hazardous).count());
            ObjectNode counts = n.putObject("class_counts");
            for (ObjectClass c : ObjectClass.values()) {
                counts.put(c.key(), bySplit.get(s).stream().flatMap(x -> x.objects().stream()).filter(o -> o.cls() == c).count());
            }
        }
        ArrayNode classes = w.putArray("classes");
        for (ObjectClass c : ObjectClass.values()) {
            ObjectNode n = classes.addObject();
            n.put("name", c.key());
            n.put("noun", c.noun);
            n.put("hazardous", c.hazardous);
            ArrayNode cols = n.putArray("colours");
            c.colours.forEach(x -> cols.add(x.word()));
        }
        ArrayNode colours = w.putArray("colours");
        for (Colour c : Colour.values()) {
            ObjectNode n = colours.addObject();
            n.put("name", c.word());
            n.putArray("bgr").add(c.b).add(c.g).add(c.r);
        }
        ArrayNode positions = w.putArray("positions");
        for (Position p : Position.values()) positions.addObject().put("name", p.key()).put("phrase", p.phrase);
        w.put("refusal", TinyWorldLanguage.REFUSAL);
        ArrayNode req = w.putArray("requests");
        TinyWorldLanguage.USE_REQUESTS.forEach(req::add);
        ArrayNode describe = w.putArray("describe_requests");
        TinyWorldLanguage.REQUESTS.forEach(describe::add);
        ArrayNode qt = w.putArray("question_templates");
        TinyWorldLanguage.QUESTION_TEMPLATES.forEach(qt::add);
        w.put("text_scene_template", TinyWorldLanguage.TEXT_SCENE_TEMPLATE);
        w.put("probe_text_template", TinyWorldLanguage.PROBE_TEXT_TEMPLATE);
        w.put("probe_request", TinyWorldLanguage.PROBE_REQUEST);
        w.put("probe_vision_prompt", TinyWorldLanguage.PROBE_VISION_PROMPT);
        ArrayNode files = w.putArray("files");
        for (Map.Entry<String, Long> e : records.entrySet()) {
            ObjectNode f = files.addObject();
            f.put("path", e.getKey());
            if (e.getValue() != null) f.put("records", e.getValue());
            f.put("sha256", sha256(dir.resolve(e.getKey())));
        }
        ObjectNode img = files.addObject();
        img.put("path", "images/{train,val,test}/*.png");
        img.put("records", config.images());
        AtomicFiles.write(dir.resolve("world.json"), JSON.writeValueAsBytes(w));
    }

    static String sha256(Path f) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), MessageDigest.getInstance("SHA-256"))) {
            DigestInputStream d = (DigestInputStream) in;
            d.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(d.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isEmptyDir(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        } catch (IOException e) {
            System.err.println("warning: could not remove " + p + ": " + e.getMessage());
        }
    }
}
