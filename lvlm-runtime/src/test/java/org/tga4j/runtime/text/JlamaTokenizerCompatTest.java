package org.tga4j.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tjake.jlama.model.llama.LlamaTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tokenizer.json our trainer writes is read identically by DJL (HF tokenizers, Rust) and by Jlama 0.8.4's
 * pure-Java {@code LlamaTokenizer}: same ids for ASCII text, special tokens included, and the same decoded text.
 */
class JlamaTokenizerCompatTest {
    @TempDir
    Path tmp;

    static final List<String> SENTENCES = List.of(
            "The assistant gives helpful, detailed, and polite answers to the human's questions.",
            "What is shown in this image? A red car is parked near the old tree.",
            "I'm sorry, I can't help with that. It's 42 degrees, isn't it?",
            "Multiple   spaces,\ttabs and\n\nnew lines   ",
            "[INST] <<SYS>>\nYou are a helpful assistant.\n<</SYS>>\n\nRetrieved Text: a dog. <image>\nDescribe it. [/INST]",
            "<s>USER: <image>\nBrailoung stoutea? ASSISTANT: Thint cleas 2024.</s>",
            "<|im_start|>user\nHi there!<|im_end|>\n<|im_start|>assistant\n");

    @Test
    void jlamaEncodesAndDecodesLikeDjl() throws Exception {
        Path dir = TestTokenizers.write(tmp.resolve("tok"), 1200, TestTokenizers.TEMPLATE_TOKENS);
        LlamaTokenizer jlama = new LlamaTokenizer(dir);
        try (TextTokenizer ours = TextTokenizer.load(dir)) {
            for (String s : SENTENCES) {
                int[] expected = ours.encode(s);
                long[] got = jlama.encode(s);
                assertArrayEquals(expected, Arrays.stream(got).mapToInt(Math::toIntExact).toArray(), s);
            }
            String plain = "What is shown in this image? A red car.";
            assertEquals(ours.decode(ours.encode(plain)), jlama.decode(jlama.encode(plain)));
        }
    }

    /**
     * The Jinja chat_template we write renders (in Jlama's Jinjava) exactly the text our template encodes, for a
     * multi-turn conversation ending in a generation prompt (HF's apply_chat_template would render the same).
     */
    @ParameterizedTest
    @ValueSource(strings = {"llava_v1", "vicuna_v1", "llava_llama_2", "mistral_instruct", "chatml"})
    void writtenJinjaChatTemplateRendersWhatOurTemplateEncodes(String name) throws Exception {
        Path dir = tmp.resolve(name);
        BpeTokenizerTrainer.train(TestTokenizers.corpus(), 600, TestTokenizers.TEMPLATE_TOKENS)
                .withChatTemplate(name).save(dir);
        LlamaTokenizer jlama = new LlamaTokenizer(dir);
        String prompt = jlama.promptSupport().orElseThrow().builder()
                .addSystemMessage("Be brief.")
                .addUserMessage("<image>\nWhat is this?")
                .addAssistantMessage("A dog.")
                .addUserMessage("Is it big?")
                .addGenerationPrompt(true)
                .build().getPrompt();
        try (TextTokenizer ours = TextTokenizer.load(dir)) {
            List<ChatMessage> msgs = List.of(ChatMessage.system("Be brief."), ChatMessage.user("<image>\nWhat is this?"),
                    ChatMessage.assistant("A dog."), ChatMessage.user("Is it big?"));
            EncodedPrompt p = ChatTemplates.byName(name).encode(msgs, PromptOptions.textOnly(), ours);
            // Jlama renders bos_token as "" (its generate() prepends bos itself), so compare without <s>
            assertEquals(prompt, ours.decode(p.ids(), false).replace("<s>", ""), name);
        }
    }

    @Test
    void jlamaReadsTheRandomModelTokenizer() throws Exception {
        Path dir = tmp.resolve("random");
        BpeTokenizerTrainer.writeRandomModelTokenizer(dir, 4096, 3);
        LlamaTokenizer jlama = new LlamaTokenizer(dir);
        try (TextTokenizer ours = TextTokenizer.load(dir)) {
            String s = "The picture shows a small dog, 3 cats and <image> on the table.";
            assertArrayEquals(ours.encode(s), Arrays.stream(jlama.encode(s)).mapToInt(Math::toIntExact).toArray());
        }
    }
}
