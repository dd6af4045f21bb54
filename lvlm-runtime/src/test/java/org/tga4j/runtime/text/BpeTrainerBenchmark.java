package org.tga4j.runtime.text;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Trainer speed benchmark, not a test: runs only with {@code -Dbenchmark=true}:
 * {@code ./mvn21 -B -pl lvlm-runtime -am test -Dtest=BpeTrainerBenchmark -Dbenchmark=true
 * -Dsurefire.failIfNoSpecifiedTests=false}. Prints the wall time to train 1k/2k/4k vocabularies on ~5 MB of
 * generated text (after one warm-up run) and to write + load the 32k-vocab random-model tokenizer.
 */
class BpeTrainerBenchmark {
    @Test
    @EnabledIfSystemProperty(named = "benchmark", matches = "true")
    void trainOnFiveMegabytes() {
        List<String> corpus = PseudoEnglish.corpus(3, 5_000_000);
        long chars = corpus.stream().mapToLong(String::length).sum();
        BpeTokenizerTrainer.train(corpus, 1000, List.of()); // warm-up
        for (int vocab : new int[] {1000, 2000, 4000}) {
            long t0 = System.nanoTime();
            TrainedTokenizer t = BpeTokenizerTrainer.train(corpus, vocab, List.of());
            System.out.printf("bpe-train chars=%d vocab=%d reached=%d ms=%d%n", chars, vocab, t.vocabSize(),
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
