package org.tga4j.projector.pretrain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.LlavaJsonReader;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.datasets.tinyworld.ObjectClass;
import org.tga4j.runtime.RandomModels;
import org.tga4j.runtime.text.BpeTokenizerTrainer;

/**
 * Measures CLIP pretraining on a generated TinyWorld ({@code tga tinyworld generate}): trains a BPE tokenizer on the
 * training captions, writes a random CLIP around it, trains it contrastively on {@code llava/pretrain_train.json}
 * and reports held-out image→caption retrieval on {@code llava/pretrain_val.json} — top-1 / top-5 by caption text,
 * and how often the top-1 caption names exactly the image's object classes, and gets "contains a hazard" right.
 *
 * <pre>
 * java ... org.tga4j.projector.pretrain.ClipPretrainBenchmark WORLD WORK [key=value ...]
 * </pre>
 * Keys: {@code visionLayers visionHidden patch textLayers textHidden vocab} (model) and any
 * {@link ClipPretrainConfig} field (training), e.g. {@code epochs=8 batchSize=64 learningRate=5e-4}.
 */
public final class ClipPretrainBenchmark {
    private ClipPretrainBenchmark() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ClipPretrainBenchmark WORLD WORK [key=value ...]");
            System.exit(2);
        }
        Path world = Path.of(args[0]), work = Path.of(args[1]);
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] p = args[i].split("=", 2);
            kv.put(p[0], p[1]);
        }
        int visionLayers = Integer.parseInt(kv.getOrDefault("visionLayers", "4"));
        int visionHidden = Integer.parseInt(kv.getOrDefault("visionHidden", "128"));
        int patch = Integer.parseInt(kv.getOrDefault("patch", "8"));
        int textLayers = Integer.parseInt(kv.getOrDefault("textLayers", "2"));
        int textHidden = Integer.parseInt(kv.getOrDefault("textHidden", "128"));
        int vocab = Integer.parseInt(kv.getOrDefault("vocab", "800"));
        int imageSize = Integer.parseInt(kv.getOrDefault("imageSize", "64"));
        for (String k : List.of("visionLayers", "visionHidden", "patch", "textLayers", "textHidden", "vocab",
                "imageSize")) {
            kv.remove(k);
        }

        Path train = world.resolve("llava/pretrain_train.json"), val = world.resolve("llava/pretrain_val.json");
        List<String> corpus = new ArrayList<>();
        for (LlavaRecord r : LlavaJsonReader.readAll(train, BadRecordReport.failing())) corpus.add(r.firstAnswer());
        Path tok = work.resolve("tokenizer");
        long t0 = System.nanoTime();
        var trained = BpeTokenizerTrainer.train(corpus, vocab, List.of(), 2);
        trained.save(tok);
        double tokSeconds = (System.nanoTime() - t0) / 1e9;
        Path init = RandomModels.write(new RandomModels.Spec("clip", textLayers, textHidden,
                Math.max(1, textHidden / 32), Math.max(1, textHidden / 32), 0, vocab, 1, visionLayers, visionHidden,
                imageSize, patch), work.resolve("clip-init"), true, tok);

        Map<String, Object> overrides = new LinkedHashMap<>(Map.of("model", init.toString(), "data", train.toString(),
                "valData", val.toString(), "imageRoot", world.resolve("images").toString(),
                "output", work.resolve("clip").toString()));
        ClipPretrainConfig cfg = ClipPretrainConfig.defaults().withOverrides(overrides);
        cfg = ObjectOverrides.apply(kv, cfg);
        System.out.printf("tokenizer: %d tokens in %.1f s; model: vision %dx%d patch %d on %dpx, text %dx%d%n",
                trained.vocabSize(), tokSeconds, visionLayers, visionHidden, patch, imageSize, textLayers, textHidden);
        System.out.println("config: " + cfg.toJson().replaceAll("\\s+", " "));
        ClipPretrainer.Result r = new ClipPretrainer(cfg, new ClipPretrainListener() {
            private long start = System.nanoTime();

            @Override
            public void step(int step, int total, double loss) {
                if (step % 10 == 0 || step == total) {
                    System.out.printf("step %d/%d loss %.3f (%.1f s, RSS %d MiB)%n", step, total, loss,
                            (System.nanoTime() - start) / 1e9, rssMib());
                }
            }

            @Override
            public void evaluated(int step, ClipRetrieval retrieval) {
                System.out.println("  step " + step + ": " + retrieval);
            }
        }).run(true);
        ClipRetrieval a = r.after();
        int classRight = 0, hazardRight = 0;
        for (int i = 0; i < a.pairs(); i++) {
            String truth = a.captions().get(i), got = a.captions().get(a.retrieved()[i]);
            if (classes(truth).equals(classes(got))) classRight++;
            if (hazardous(truth) == hazardous(got)) hazardRight++;
        }
        System.out.printf("%nRESULT steps %d (%d skipped for a non-finite gradient), train pairs %d, val pairs %d,"
                + " bad records %d%n", r.steps(), r.skippedSteps(), r.trainPairs(), r.valPairs(), r.skippedRecords());
        System.out.printf("RESULT data load+preprocess %.1f s, training %.1f s (%.0f ms/step)%n", r.loadSeconds(),
                r.seconds(), 1000 * r.seconds() / r.steps());
        System.out.printf("RESULT loss %.3f -> %.3f (last epoch mean)%n", r.firstLoss(), r.lastLoss());
        System.out.println("RESULT before: " + r.before());
        System.out.println("RESULT after:  " + a);
        System.out.printf("RESULT top-1 caption names the image's object classes exactly: %.1f%%; hazard yes/no right:"
                + " %.1f%%%n", 100.0 * classRight / a.pairs(), 100.0 * hazardRight / a.pairs());
        Files.writeString(work.resolve("clip-benchmark.txt"), r.toString());
    }

    /** The process's resident set (Linux), or -1. */
    static long rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** The object classes a caption names. */
    static Set<String> classes(String caption) {
        Set<String> out = new TreeSet<>();
        for (ObjectClass c : ObjectClass.values()) {
            if (caption.contains(" " + c.noun)) out.add(c.key());
        }
        return out;
    }

    static boolean hazardous(String caption) {
        for (ObjectClass c : ObjectClass.hazards()) if (caption.contains(" " + c.noun)) return true;
        return false;
    }

    /** Applies {@code key=value} strings to a config, typed by the config's own JSON fields. */
    private static final class ObjectOverrides {
        static ClipPretrainConfig apply(Map<String, String> kv, ClipPretrainConfig cfg) {
            Map<String, Object> typed = new LinkedHashMap<>();
            var node = ConfigRecords.JSON.valueToTree(cfg);
            kv.forEach((k, v) -> {
                var field = ((com.fasterxml.jackson.databind.JsonNode) node).get(k);
                if (field == null) throw new IllegalArgumentException("unknown option " + k);
                typed.put(k, field.isNumber() && field.isIntegralNumber() ? (Object) Long.parseLong(v)
                        : field.isNumber() ? (Object) Double.parseDouble(v)
                        : field.isBoolean() ? (Object) Boolean.parseBoolean(v) : v);
            });
            return cfg.withOverrides(typed);
        }
    }
}
