package org.tga4j.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatTemplatesTest {
    static final String SYS = "You are a careful assistant.";
    static final String Q1 = "<image>\nWhat is shown in this image?";
    static final String A1 = "A red car is parked near the old tree.";
    static final String Q2 = "Describe the scene in detail.";
    static final String A2 = "Two people are walking a dog.";
    static final int N_IMAGE = 5;
    static final int IGNORE = -100;

    @TempDir
    static Path tmp;
    static TextTokenizer tok;      // template strings are added tokens
    static TextTokenizer plainTok; // template strings are ordinary BPE text
    static int imageId;

    @BeforeAll
    static void setUp() throws Exception {
        tok = TextTokenizer.load(TestTokenizers.write(tmp.resolve("tok"), 1200, TestTokenizers.TEMPLATE_TOKENS));
        plainTok = TextTokenizer.load(TestTokenizers.write(tmp.resolve("plain"), 1200, List.of()));
        imageId = tok.tokenId("<image>").orElseThrow();
    }

    @AfterAll
    static void tearDown() {
        tok.close();
        plainTok.close();
    }

    static List<ChatMessage> twoTurns() {
        return List.of(ChatMessage.system(SYS), ChatMessage.user(Q1), ChatMessage.assistant(A1),
                ChatMessage.user(Q2), ChatMessage.assistant(A2));
    }

    static List<ChatMessage> oneTurn() {
        return List.of(ChatMessage.system(SYS), ChatMessage.user(Q1), ChatMessage.assistant(A1));
    }

    /** The exact text LLaVA / HF would render for {@link #twoTurns()} ({@link #oneTurn()} for plain/none). */
    static final Map<String, String> EXPECTED = Map.of(
            "llava_v1", "<s>" + SYS + " USER: " + Q1 + " ASSISTANT: " + A1 + "</s>USER: " + Q2 + " ASSISTANT: "
                    + A2 + "</s>",
            "vicuna_v1", "<s>" + SYS + " USER: " + Q1 + " ASSISTANT: " + A1 + "</s>USER: " + Q2 + " ASSISTANT: "
                    + A2 + "</s>",
            "llava_llama_2", "<s>[INST] <<SYS>>\n" + SYS + "\n<</SYS>>\n\n" + Q1 + " [/INST] " + A1 + " </s><s>[INST] "
                    + Q2 + " [/INST] " + A2 + " </s>",
            "mistral_instruct", "<s>[INST] " + SYS + "\n\n" + Q1 + " [/INST]" + A1 + "</s>[INST] " + Q2 + " [/INST]"
                    + A2 + "</s>",
            "chatml", "<s><|im_start|>system\n" + SYS + "<|im_end|>\n<|im_start|>user\n" + Q1
                    + "<|im_end|>\n<|im_start|>assistant\n" + A1 + "<|im_end|>\n<|im_start|>user\n" + Q2
                    + "<|im_end|>\n<|im_start|>assistant\n" + A2 + "<|im_end|>\n",
            "plain", "<s><image>" + A1 + "\n",
            "none", "<s>" + SYS + "\n" + Q1 + A1 + "</s>");

    static boolean multiTurn(String name) {
        return !name.equals("plain") && !name.equals("none");
    }

    static List<ChatMessage> conversation(String name) {
        return multiTurn(name) ? twoTurns() : oneTurn();
    }

    static PromptOptions images() {
        return PromptOptions.withImage(imageId, N_IMAGE).withGenerationPrompt(false);
    }

    static String text(TextTokenizer t, int[] ids) {
        return t.decode(ids, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llava_v1", "vicuna_v1", "llava_llama_2", "mistral_instruct"})
    void templateTextsAreWhatTheTemplateRendersWithItsDefaultSystemPrompt(String name) {
        ChatTemplate t = ChatTemplates.byName(name);
        List<ChatMessage> noSystem = List.of(ChatMessage.user(Q1), ChatMessage.assistant(A1), ChatMessage.user(Q2),
                ChatMessage.assistant(A2));
        String rendered = text(plainTok, t.encode(noSystem, PromptOptions.textOnly().withGenerationPrompt(false), plainTok)
                .ids());
        assertFalse(t.templateTexts().isEmpty(), name);
        for (String piece : t.templateTexts()) {
            assertTrue(rendered.contains(piece), name + ": '" + piece + "' is not in " + rendered);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llava_v1", "vicuna_v1", "llava_llama_2", "mistral_instruct", "chatml", "plain", "none"})
    void rendersTheReferenceTextExactly(String name) {
        ChatTemplate t = ChatTemplates.byName(name);
        PromptOptions literal = PromptOptions.textOnly().withGenerationPrompt(false);
        for (TextTokenizer tk : List.of(tok, plainTok)) {
            EncodedPrompt p = t.encode(conversation(name), literal, tk);
            assertEquals(EXPECTED.get(name), text(tk, p.ids()), name);
            assertTrue(p.layout().spans(SpanKind.IMAGE).isEmpty(), "literal <image> is text, not an IMAGE span");
        }
    }

    @Test
    void vicunaAndLlavaV1DifferOnlyInTheDefaultSystemPrompt() {
        List<ChatMessage> msgs = List.of(ChatMessage.user("Hi"));
        PromptOptions o = PromptOptions.textOnly();
        assertEquals("<s>" + JinjaChatTemplates.LLAVA_V1_SYSTEM + " USER: Hi ASSISTANT:",
                text(tok, ChatTemplates.byName("llava_v1").encode(msgs, o, tok).ids()));
        assertEquals("<s>A chat between a curious user and an artificial intelligence assistant. The assistant "
                        + "gives helpful, detailed, and polite answers to the user's questions. USER: Hi ASSISTANT:",
                text(tok, ChatTemplates.byName("vicuna_v1").encode(msgs, o, tok).ids()));
        assertEquals("<s>[INST] <<SYS>>\n" + JinjaChatTemplates.LLAVA_LLAMA_2_SYSTEM + "\n<</SYS>>\n\nHi [/INST]",
                text(tok, ChatTemplates.byName("llava_llama_2").encode(msgs, o, tok).ids()));
        assertEquals("<s>[INST] Hi [/INST]",
                text(tok, ChatTemplates.byName("mistral_instruct").encode(msgs, o, tok).ids()));
        assertEquals("<s><|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>"
                + "\n<|im_start|>assistant\n", text(tok, ChatTemplates.byName("chatml").encode(msgs, o, tok).ids()));
        assertEquals("<s>[INST] Hi [/INST]", text(tok, ChatTemplates.byName("llava_llama_2")
                .encode(msgs, o.withSystemPrompt(""), tok).ids()), "an empty system prompt drops <<SYS>>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"llava_v1", "vicuna_v1", "llava_llama_2", "mistral_instruct", "chatml", "plain", "none"})
    void spansSelectExactlyTheIntendedTextWithAndWithoutPadding(String name) {
        ChatTemplate t = ChatTemplates.byName(name);
        for (TextTokenizer tk : List.of(tok, plainTok)) {
            EncodedPrompt p = t.encode(conversation(name), images(), tk);
            checkSpans(name, tk, p, 0);
            checkSpans(name, tk, p.leftPadded(3, tk.padId()), 3);
            checkSpans(name, tk, p.rightPadded(4, tk.padId()), 0);
        }
    }

    private void checkSpans(String name, TextTokenizer tk, EncodedPrompt p, int leftPad) {
        PromptLayout l = p.layout();
        assertTiles(l, p.length());
        // image: one span of N image tokens, in the first turn
        List<Span> img = l.spans(SpanKind.IMAGE);
        assertEquals(1, img.size(), name);
        assertEquals(N_IMAGE, img.get(0).length());
        assertEquals(0, img.get(0).turn());
        assertTrue(Arrays.stream(p.idsOf(img.get(0))).allMatch(id -> id == imageId));
        // system
        List<Span> sys = l.spans(SpanKind.SYSTEM);
        if (name.equals("plain")) {
            assertTrue(sys.isEmpty(), "plain has no system prompt");
        } else {
            assertEquals(1, sys.size(), name);
            assertEquals(SYS, tk.decode(p.idsOf(sys.get(0))).strip());
        }
        // questions per turn (plain drops the instruction, as LLaVA pretraining does)
        assertEquals(name.equals("plain") ? "" : "What is shown in this image?", joined(tk, p, SpanKind.QUESTION, 0));
        // answers per turn: the answer text, and the end-of-turn token last
        List<String> answers = multiTurn(name) ? List.of(A1, A2) : List.of(A1);
        List<Span> ans = l.spans(SpanKind.ANSWER);
        assertEquals(answers.size(), ans.size(), name);
        for (int turn = 0; turn < answers.size(); turn++) {
            Span a = ans.get(turn);
            assertEquals(turn, a.turn());
            String end = switch (name) {
                case "chatml" -> "<|im_end|>";
                case "plain" -> "\n";
                default -> "</s>";
            };
            // the span is the answer text followed by the end-of-turn token(s), nothing else
            assertEquals(noSpace(answers.get(turn) + end), noSpace(tk.decode(p.idsOf(a), false)), name);
            if (tk.tokenId(end).isPresent()) {
                assertEquals(answers.get(turn), tk.decode(p.idsOf(a)).strip(), name);
                assertEquals(tk.tokenId(end).getAsInt(), p.ids()[a.end() - 1], name + ": end-of-turn is trained");
            }
        }
        if (multiTurn(name)) {
            assertEquals(Q2, joined(tk, p, SpanKind.QUESTION, 1));
        }
        // padding
        if (leftPad > 0) {
            assertEquals(new Span(SpanKind.PADDING, 0, leftPad, -1), l.spans().get(0));
        }
        for (Span pad : l.spans(SpanKind.PADDING)) {
            assertTrue(Arrays.stream(p.idsOf(pad)).allMatch(id -> id == tk.padId()));
        }
        // labels: exactly the ANSWER positions
        int[] labels = p.labels(IGNORE);
        boolean[] answerMask = l.mask(SpanKind.ANSWER);
        for (int i = 0; i < labels.length; i++) {
            assertEquals(answerMask[i] ? p.ids()[i] : IGNORE, labels[i], name + " label at " + i);
        }
        assertEquals(ans.stream().mapToInt(Span::length).sum(),
                Arrays.stream(labels).filter(x -> x != IGNORE).count());
    }

    private static String noSpace(String s) {
        return s.replaceAll("\\s+", "");
    }

    private static String joined(TextTokenizer tk, EncodedPrompt p, SpanKind kind, int turn) {
        StringBuilder b = new StringBuilder();
        for (Span s : p.layout().spans(kind)) {
            if (s.turn() == turn) {
                b.append(tk.decode(p.idsOf(s)));
            }
        }
        return b.toString().strip();
    }

    private static void assertTiles(PromptLayout l, int length) {
        int pos = 0;
        for (Span s : l.spans()) {
            assertEquals(pos, s.start(), "spans tile the sequence: " + l);
            assertTrue(s.length() > 0, "no empty spans: " + l);
            pos = s.end();
        }
        assertEquals(length, pos);
        assertEquals(length, l.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"llava_v1", "vicuna_v1", "llava_llama_2", "mistral_instruct", "chatml", "plain", "none"})
    void generationPromptEndsWhereTheAssistantStarts(String name) {
        ChatTemplate t = ChatTemplates.byName(name);
        List<ChatMessage> full = conversation(name);
        List<ChatMessage> open = full.subList(0, full.size() - 1);
        EncodedPrompt prompt = t.encode(open, images().withGenerationPrompt(true), tok);
        EncodedPrompt answered = t.encode(full, images(), tok);
        assertArrayEquals(prompt.ids(), Arrays.copyOf(answered.ids(), prompt.length()), name);
        Span lastAnswer = answered.layout().last(SpanKind.ANSWER).orElseThrow();
        assertEquals(prompt.length(), lastAnswer.start(), name);
        assertTrue(prompt.layout().spans(SpanKind.ANSWER).size() == answered.layout().spans(SpanKind.ANSWER).size() - 1);
        String tail = switch (name) {
            case "llava_v1", "vicuna_v1" -> " ASSISTANT:";
            case "llava_llama_2", "mistral_instruct" -> " [/INST]";
            case "chatml" -> "<|im_start|>assistant\n";
            case "plain" -> "";
            default -> "this image?";
        };
        assertTrue(text(tok, prompt.ids()).endsWith(tail), name + ": " + text(tok, prompt.ids()));
    }

    @Test
    void llavaV1LabelsMatchLlavaPreprocessV1() {
        EncodedPrompt p = ChatTemplates.byName("llava_v1").encode(twoTurns(), images(), tok);
        int[] labels = p.labels(IGNORE);
        assertEquals(IGNORE, labels[0], "bos is never trained");
        StringBuilder trained = new StringBuilder();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != IGNORE) {
                trained.append(tok.decode(new int[] {labels[i]}, false));
            }
        }
        assertEquals(" " + A1 + "</s> " + A2 + "</s>", trained.toString());
    }

    @Test
    void tgaRetrievedTextPromptInTheLlama2Template() {
        String retrieved = "a dog runs on the beach";
        PromptOptions o = PromptOptions.withImage(imageId, N_IMAGE).withRetrievedText(retrieved);
        List<ChatMessage> msgs = List.of(ChatMessage.user("<image>\nWhat is in the picture?"));
        EncodedPrompt p = ChatTemplates.byName("llava_llama_2").encode(msgs, o, tok);
        List<Span> rag = p.layout().spans(SpanKind.RETRIEVED);
        assertEquals(1, rag.size());
        assertEquals(retrieved, tok.decode(p.idsOf(rag.get(0))).strip());
        Span img = p.layout().first(SpanKind.IMAGE).orElseThrow();
        assertTrue(rag.get(0).end() < img.start(), "retrieved text comes before the image");
        assertEquals("What is in the picture?", joined(tok, p, SpanKind.QUESTION, 0));
        EncodedPrompt literal = ChatTemplates.byName("llava_llama_2").encode(msgs,
                PromptOptions.textOnly().withRetrievedText(retrieved), tok);
        assertEquals("<s>[INST] <<SYS>>\n" + JinjaChatTemplates.LLAVA_LLAMA_2_SYSTEM + "\n<</SYS>>\n\n"
                + "Retrieved Text: " + retrieved + ". <image>\nWhat is in the picture? [/INST]", text(tok, literal.ids()));
        // only the first user turn carries the retrieved text
        List<ChatMessage> two = List.of(ChatMessage.user("<image>\nWhat is it?"), ChatMessage.assistant("A dog."),
                ChatMessage.user("Is it safe?"));
        EncodedPrompt p2 = ChatTemplates.byName("llava_v1").encode(two, o, tok);
        assertEquals(1, p2.layout().spans(SpanKind.RETRIEVED).size());
        assertEquals(0, p2.layout().spans(SpanKind.RETRIEVED).get(0).turn());
        assertTrue(text(tok, ChatTemplates.byName("llava_v1").encode(two, PromptOptions.textOnly()
                .withRetrievedText(retrieved), tok).ids()).contains(" USER: Retrieved Text: " + retrieved
                + ". <image>\nWhat is it? ASSISTANT: A dog.</s>USER: Is it safe? ASSISTANT:"));
    }

    @Test
    void literalImageTextIsTemplateSoTheQuestionSpanHoldsOnlyTheText() {
        // the TGA target pass: text-only "<image> {caption}" whose caption tokens are pooled
        String caption = "A red car is parked near the old tree.";
        EncodedPrompt p = ChatTemplates.byName("llava_llama_2").encode(
                List.of(ChatMessage.user("<image> " + caption)), PromptOptions.textOnly(), tok);
        assertEquals(caption, joined(tok, p, SpanKind.QUESTION, 0));
        assertTrue(p.layout().spans(SpanKind.IMAGE).isEmpty());
        assertTrue(text(tok, p.ids()).contains("\n\n<image> " + caption + " [/INST]"));
    }

    @Test
    void plainWithRetrievedTextPutsItBeforeTheImage() {
        PromptOptions o = PromptOptions.withImage(imageId, N_IMAGE).withRetrievedText("a cat").withGenerationPrompt(false);
        EncodedPrompt p = ChatTemplates.byName("plain").encode(oneTurn(), o, tok);
        assertEquals("a cat", tok.decode(p.idsOf(p.layout().first(SpanKind.RETRIEVED).orElseThrow())).strip());
        assertEquals(A1, tok.decode(p.idsOf(p.layout().first(SpanKind.ANSWER).orElseThrow())).strip());
    }

    @Test
    void aTokenizationMismatchIsAnError() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("lower"));
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(tmp.resolve("tok").resolve(f), d.resolve(f));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(d.resolve("tokenizer.json").toFile());
        root.putObject("normalizer").put("type", "Lowercase");
        Files.writeString(d.resolve("tokenizer.json"), json.writeValueAsString(root));
        try (TextTokenizer lower = TextTokenizer.load(d)) {
            var e = assertThrows(TemplateException.class, () -> ChatTemplates.byName("llava_v1")
                    .encode(List.of(ChatMessage.user("hello")), PromptOptions.textOnly(), lower));
            assertTrue(e.getMessage().startsWith("tokenization mismatch in template llava_v1 at segment 1"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("A chat between"), e.getMessage());
        }
    }

    @Test
    void malformedConversationsAreRejected() {
        ChatTemplate t = ChatTemplates.byName("llava_v1");
        PromptOptions o = PromptOptions.textOnly();
        assertThrows(TemplateException.class, () -> t.encode(List.of(), o, tok));
        assertThrows(TemplateException.class, () -> t.encode(List.of(ChatMessage.assistant("x")), o, tok));
        assertThrows(TemplateException.class, () -> t.encode(List.of(ChatMessage.user("a"), ChatMessage.user("b")), o, tok));
        assertThrows(TemplateException.class, () -> t.encode(List.of(ChatMessage.user("a"), ChatMessage.system("b")), o, tok));
        assertThrows(TemplateException.class, () -> ChatTemplates.byName("plain").encode(twoTurns(), o, tok));
        var e = assertThrows(TemplateException.class, () -> ChatTemplates.byName("plain")
                .encode(List.of(ChatMessage.user("no image"), ChatMessage.assistant("x")), o, tok));
        assertTrue(e.getMessage().contains("<image>"));
        assertThrows(TemplateException.class, () -> ChatTemplates.byName("none").encode(twoTurns(), o, tok));
        assertThrows(IllegalArgumentException.class, () -> ChatTemplates.byName("alpaca"));
        assertThrows(IllegalArgumentException.class, () -> new PromptOptions(-1, 576, null, true, null));
    }

    @Test
    void multipleImagesExpandEach() {
        EncodedPrompt p = ChatTemplates.byName("llava_v1").encode(
                List.of(ChatMessage.user("<image> left, <image> right: same?")), PromptOptions.withImage(imageId, 3), tok);
        assertEquals(2, p.layout().spans(SpanKind.IMAGE).size());
        assertEquals(6, p.layout().count(SpanKind.IMAGE));
        assertEquals("left, right: same?", joined(tok, p, SpanKind.QUESTION, 0).replaceAll("\\s+", " ")
                .replace(" ,", ","));
        assertEquals(2, ChatTemplates.countImagePlaceholders("<image> left, <image> right"));
        assertEquals(2, ChatTemplates.countImagePlaceholders(List.of(ChatMessage.user("<image><image>"),
                ChatMessage.assistant("<image>"))));
        assertEquals("<image>\nhi", ChatTemplates.ensureImageToken("hi"));
        assertEquals("a <image> b", ChatTemplates.ensureImageToken("a <image> b"));
    }

    @Test
    void chatmlStopsOnImEnd() {
        int imEnd = tok.tokenId("<|im_end|>").orElseThrow();
        assertTrue(ChatTemplates.byName("chatml").stopIds(tok).contains(imEnd));
        assertTrue(ChatTemplates.byName("chatml").stopIds(tok).contains(tok.eosId()));
        assertFalse(ChatTemplates.byName("llava_v1").stopIds(tok).contains(imEnd));
    }

    @Test
    void detectsTheTemplate() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("detect"));
        assertEquals("llava_v1", ChatTemplates.detect(d, "llava").name());
        assertEquals("chatml", ChatTemplates.detect(d, "qwen2").name());
        assertEquals("mistral_instruct", ChatTemplates.detect(d, "mistral").name());
        assertEquals("none", ChatTemplates.detect(d, "gpt2").name());
        Files.writeString(d.resolve("tokenizer_config.json"),
                "{\"chat_template\": \"{% for m in messages %}<|im_start|>{{ m['role'] }}{% endfor %}\"}");
        assertEquals("chatml", ChatTemplates.detect(d, "llama").name());
        Files.writeString(d.resolve("tokenizer_config.json"), "{\"chat_template\": \"[INST] <<SYS>>\"}");
        assertEquals("llava_llama_2", ChatTemplates.detect(d, "mistral").name());
        Files.writeString(d.resolve("tokenizer_config.json"),
                "{\"chat_template\": [{\"name\": \"default\", \"template\": \"{{ '[INST] ' }}\"}]}");
        assertEquals("mistral_instruct", ChatTemplates.detect(d, "llama").name());
        Files.writeString(d.resolve("tokenizer_config.json"),
                "{\"tga4j_template\": \"plain\", \"chat_template\": \"<|im_start|>\"}");
        assertEquals("plain", ChatTemplates.detect(d, "qwen2").name());
        Files.writeString(d.resolve("tokenizer_config.json"), "{\"tga4j_template\": \"nope\"}");
        var e = assertThrows(TokenizerException.class, () -> ChatTemplates.detect(d, "llama"));
        assertTrue(e.getMessage().contains("tokenizer_config.json"));
        // the trainer's files round-trip through detect
        Path saved = tmp.resolve("saved");
        BpeTokenizerTrainer.train(TestTokenizers.corpus(), 400, List.of()).withChatTemplate("llava_llama_2").save(saved);
        assertEquals("llava_llama_2", ChatTemplates.detect(saved, "llama").name());
    }

    @Test
    void layoutRejectsGapsAndPadsBothWays() {
        assertThrows(IllegalArgumentException.class, () -> new PromptLayout(List.of(
                new Span(SpanKind.TEMPLATE, 0, 2, -1), new Span(SpanKind.QUESTION, 3, 5, 0))));
        assertThrows(IllegalArgumentException.class, () -> new PromptLayout(List.of(
                new Span(SpanKind.TEMPLATE, 1, 2, -1))));
        PromptLayout l = new PromptLayout(List.of(new Span(SpanKind.TEMPLATE, 0, 1, -1),
                new Span(SpanKind.IMAGE, 1, 4, 0), new Span(SpanKind.ANSWER, 4, 6, 0)));
        PromptLayout left = l.leftPadded(2);
        assertEquals(8, left.length());
        assertEquals(new Span(SpanKind.IMAGE, 3, 6, 0), left.first(SpanKind.IMAGE).orElseThrow());
        assertArrayEquals(new boolean[] {true, true, false, false, false, false, false, false},
                left.mask(SpanKind.PADDING));
        PromptLayout right = l.rightPadded(2);
        assertEquals(new Span(SpanKind.PADDING, 6, 8, -1), right.last(SpanKind.PADDING).orElseThrow());
        assertEquals(SpanKind.ANSWER, right.kindAt(5));
        assertArrayEquals(new boolean[] {false, true, true, true, true, true, false, false},
                right.mask(SpanKind.IMAGE, SpanKind.ANSWER));
        assertEquals(l, l.leftPadded(0));
    }
}
