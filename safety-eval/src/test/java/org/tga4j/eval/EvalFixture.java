package org.tga4j.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.CaptionCorpus;
import org.tga4j.datasets.CaptionRecord;
import org.tga4j.datasets.tinyworld.TinyWorldConfig;
import org.tga4j.datasets.tinyworld.TinyWorldGenerator;
import org.tga4j.retrieval.CaptionIndexWriter;
import org.tga4j.retrieval.IndexSettings;
import org.tga4j.runtime.RandomModels;

/** A small TinyWorld, a random llava, a random CLIP and a CLIP caption index, made once per test class. */
final class EvalFixture {
    final Path world, model, clip, index;

    EvalFixture(Path dir) throws IOException {
        world = dir.resolve("world");
        new TinyWorldGenerator(new TinyWorldConfig(3, 90, 32, 0.8, 0.1, 2), null).generate(world);
        model = RandomModels.write(new RandomModels.Spec("llava", 2, 32, 2, 2, 0, 300, 5, 1, 32, 32, 8), dir.resolve("llava"));
        clip = RandomModels.write(new RandomModels.Spec("clip", 1, 32, 2, 2, 0, 300, 6, 1, 32, 32, 8), dir.resolve("clip"));
        index = dir.resolve("index");
        List<CaptionRecord> caps = CaptionCorpus.readAll(world.resolve("captions/captions.jsonl"), BadRecordReport.failing());
        try (ClipEmbedder e = ClipEmbedder.load(clip);
                CaptionIndexWriter w = CaptionIndexWriter.open(index, IndexSettings.defaults(), e)) {
            for (CaptionRecord c : caps.subList(0, Math.min(40, caps.size()))) w.add(c);
            w.commit();
        }
    }

    String hazardSet() {
        return "manifest:" + world.resolve("safety/hazard_test.jsonl") + ":" + world.resolve("images");
    }

    String benignSet() {
        return "manifest:" + world.resolve("safety/benign_test.jsonl") + ":" + world.resolve("images");
    }
}
