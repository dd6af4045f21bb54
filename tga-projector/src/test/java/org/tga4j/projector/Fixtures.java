package org.tga4j.projector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.datasets.LlavaJsonReader;
import org.tga4j.datasets.LlavaJsonWriter;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.datasets.tinyworld.TinyWorldConfig;
import org.tga4j.datasets.tinyworld.TinyWorldGenerator;
import org.tga4j.runtime.RandomModels;
import org.tga4j.runtime.text.ChatTemplates;
import org.tga4j.runtime.text.TextTokenizer;

/** Tiny random llava checkpoints and TinyWorld data, made in a temp folder. */
final class Fixtures {
    private Fixtures() {}

    /** A 4-layer llava (hidden 64, CLIP 2 layers of 32, 32x32 images → 16 image tokens). */
    static Path tinyModel(Path dir, long seed) {
        return RandomModels.write(new RandomModels.Spec("llava", 4, 64, 4, 2, 0, 400, seed, 2, 32, 32, 8), dir);
    }

    /** A TinyWorld of {@code images} 32x32 images. */
    static Path world(Path dir, int images) throws IOException {
        new TinyWorldGenerator(new TinyWorldConfig(11, images, 32, 0.8, 0.1, 2), null).generate(dir);
        return dir;
    }

    /**
     * The world's instruction records with {@code image_caption} (the image's pretraining caption) and a
     * {@code retrieved_caption} (another image's caption, as a retriever with self-exclusion would give), written to
     * {@code out}. Conversations are cut to their first exchange to keep sequences short.
     */
    static Path augmentedInstruct(Path world, Path out, int limit) throws IOException {
        List<LlavaRecord> pretrain = LlavaJsonReader.readAll(world.resolve("llava/pretrain_train.json"),
                BadRecordReport.failing());
        Map<String, String> captionOf = new HashMap<>();
        for (LlavaRecord r : pretrain) captionOf.put(r.image(), r.firstAnswer());
        List<String> captions = new ArrayList<>(captionOf.values());
        List<LlavaRecord> out2 = new ArrayList<>();
        int i = 0;
        for (LlavaRecord r : LlavaJsonReader.readAll(world.resolve("llava/instruct_train.json"), BadRecordReport.failing())) {
            if (limit > 0 && out2.size() >= limit) break;
            String caption = captionOf.get(r.image());
            String retrieved = captions.get((i++ * 7 + 3) % captions.size());
            if (retrieved.equals(caption)) retrieved = captions.get((i * 7 + 4) % captions.size());
            r = new LlavaRecord(r.id(), r.image(), r.conversations().subList(0, 2));
            out2.add(r.withTga(caption, retrieved, new LlavaRecord.RetrievalInfo("test", 1.0, "exclude-self", "x")));
        }
        LlavaJsonWriter.writeAll(out, out2);
        return out;
    }

    static TrainConfig config(Path model, Path data, Path imageRoot, Path output, int stage, String method) {
        return TrainConfig.defaults(stage).withOverrides(Map.of("model", model.toString(), "data", data.toString(),
                "imageRoot", imageRoot.toString(), "output", output.toString(), "method", method));
    }

    /** The records of {@code data} (images under {@code world/images}) encoded with the llava_v1 template. */
    static List<TrainingExample> encodeLlavaV1(Path data, Path world, TrainingModel tm, TextTokenizer tok)
            throws IOException {
        TrainConfig cfg = TrainConfig.defaults(2).withOverrides(Map.of("systemPrompt", "Be safe."));
        ExampleEncoder enc = new ExampleEncoder(ChatTemplates.byName("llava_v1"), tok, tm.config(),
                new ImageRoot(world.resolve("images")), cfg);
        List<TrainingExample> ex = new ArrayList<>();
        for (LlavaRecord r : LlavaJsonReader.readAll(data, BadRecordReport.failing())) ex.add(enc.encode(r));
        return ex;
    }

    static void requireFile(Path p) {
        if (!Files.exists(p)) throw new AssertionError("missing " + p);
    }
}
