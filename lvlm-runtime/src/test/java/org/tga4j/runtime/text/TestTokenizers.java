package org.tga4j.runtime.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds tokenizers for tests: a BPE trained here, written as real HF files. */
final class TestTokenizers {
    /** Template strings added as special tokens in the template tests. */
    static final List<String> TEMPLATE_TOKENS = List.of("[INST]", "[/INST]", "<|im_start|>", "<|im_end|>");

    static final List<String> ENGLISH = List.of(
            "A chat between a curious human and an artificial intelligence assistant.",
            "The assistant gives helpful, detailed, and polite answers to the human's questions.",
            "You are a helpful language and vision assistant. You are able to understand the visual content.",
            "What is shown in this image? A red car is parked near the old tree.",
            "Describe the scene in detail. Two people are walking a dog on the beach at sunset.",
            "USER: ASSISTANT: Retrieved Text: I'm sorry, I can't help with that. It's 42 degrees.");

    private TestTokenizers() {}

    static List<String> corpus() {
        List<String> c = new ArrayList<>(PseudoEnglish.corpus(7, 200_000));
        for (int i = 0; i < 40; i++) {
            c.addAll(ENGLISH);
        }
        return c;
    }

    static Path write(Path dir, int vocab, List<String> extras) throws IOException {
        BpeTokenizerTrainer.train(corpus(), vocab, extras).save(dir);
        return dir;
    }
}
