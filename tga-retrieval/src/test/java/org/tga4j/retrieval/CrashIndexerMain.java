package org.tga4j.retrieval;

import java.nio.file.Path;

/** Child process of {@link CrashSafetyTest}: indexes batches forever, printing the count after every commit. */
public final class CrashIndexerMain {
    static final int BATCH = 3000;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        SyntheticCaptions gen = new SyntheticCaptions(11);
        long next = 0;
        try (CaptionIndexWriter w = CaptionIndexWriter.open(dir, IndexSettings.defaults().withThreads(2), null)) {
            while (true) {
                w.addAll(RetrievalBenchmark.range(gen, next, next + BATCH));
                next += BATCH;
                IndexMetadata m = w.commit();
                System.out.println("COMMITTED " + m.docCount());
                System.out.flush();
            }
        }
    }

    private CrashIndexerMain() {}
}
