package org.tga4j.runtime.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A trained byte-level BPE vocabulary ({@link BpeTokenizerTrainer}) that writes the Hugging Face tokenizer files:
 * {@code tokenizer.json}, {@code tokenizer_config.json} and {@code special_tokens_map.json}. Immutable; the
 * {@code with*} methods return modified copies.
 */
public final class TrainedTokenizer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.fasterxml.jackson.databind.ObjectWriter PRETTY = JSON.writerWithDefaultPrettyPrinter();

    private static final List<String> CORE_TOKENS = List.of("<unk>", "<s>", "</s>", "<pad>");

    private final List<String> vocab;
    private final List<String[]> merges;
    private final List<String> specialTokens;
    private final Map<String, Integer> ids;
    private final String chatTemplate;
    private final int modelMaxLength;

    TrainedTokenizer(List<String> vocab, List<String[]> merges, List<String> specialTokens) {
        this(vocab, merges, specialTokens, null, 4096);
    }

    private TrainedTokenizer(List<String> vocab, List<String[]> merges, List<String> specialTokens,
                             String chatTemplate, int modelMaxLength) {
        this.vocab = List.copyOf(vocab);
        this.merges = List.copyOf(merges);
        this.specialTokens = List.copyOf(specialTokens);
        this.chatTemplate = chatTemplate;
        this.modelMaxLength = modelMaxLength;
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < this.vocab.size(); i++) {
            m.putIfAbsent(this.vocab.get(i), i);
        }
        this.ids = Collections.unmodifiableMap(m);
    }

    /** Number of tokens (special tokens included). */
    public int vocabSize() {
        return vocab.size();
    }

    /** Token strings by id (byte-level symbols for normal tokens, literal text for special tokens). */
    public List<String> vocab() {
        return vocab;
    }

    /** Merges in rank order, each {left, right}. */
    public List<String[]> merges() {
        return merges.stream().map(String[]::clone).toList();
    }

    /** The special (added) tokens, in id order starting at 0. */
    public List<String> specialTokens() {
        return specialTokens;
    }

    /** The id of a token string (a byte-level symbol string or a special token). */
    public OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The chat template name written as {@code tga4j_template} (with its Jinja {@code chat_template}), or null. */
    public String chatTemplate() {
        return chatTemplate;
    }

    /**
     * A copy whose {@code tokenizer_config.json} names the template ({@code tga4j_template}) and carries the
     * matching HF Jinja {@code chat_template} where one exists. {@code null} removes both.
     */
    public TrainedTokenizer withChatTemplate(String templateName) {
        if (templateName != null) {
            ChatTemplates.byName(templateName); // validates the name
        }
        return new TrainedTokenizer(vocab, merges, specialTokens, templateName, modelMaxLength);
    }

    /** A copy with another {@code model_max_length}. */
    public TrainedTokenizer withModelMaxLength(int maxLength) {
        if (maxLength <= 0) {
            throw new IllegalArgumentException("model_max_length must be positive, got " + maxLength);
        }
        return new TrainedTokenizer(vocab, merges, specialTokens, chatTemplate, maxLength);
    }

    /**
     * A copy padded with reserved vocabulary entries {@code <|reserved_N|>} up to exactly {@code size} tokens.
     * They are plain BPE vocabulary entries that no merge produces (so encoding never emits them and decoding
     * prints their text), not added tokens: thousands of added tokens make tokenizer loading slow in DJL and
     * in Jlama (which builds one regex alternation over all added tokens).
     *
     * @throws IllegalArgumentException if the vocabulary is already larger
     */
    public TrainedTokenizer paddedTo(int size) {
        if (size < vocab.size()) {
            throw new IllegalArgumentException("cannot pad a vocabulary of " + vocab.size() + " down to " + size);
        }
        List<String> v = new ArrayList<>(vocab);
        for (int i = 0; v.size() < size; i++) {
            String t = "<|reserved_" + i + "|>";
            if (!ids.containsKey(t)) {
                v.add(t);
            }
        }
        return new TrainedTokenizer(v, merges, specialTokens, chatTemplate, modelMaxLength);
    }

    /** The {@code tokenizer.json} document. */
    public String tokenizerJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : specialTokens) {
            ObjectNode t = added.addObject();
            t.put("id", ids.get(s));
            t.put("content", s);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode pres = pre.putArray("pretokenizers");
        ObjectNode split = pres.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", BpeTokenizerTrainer.GPT2_SPLIT_REGEX);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        ObjectNode byteLevel = pres.addObject();
        byteLevel.put("type", "ByteLevel");
        byteLevel.put("add_prefix_space", false);
        byteLevel.put("trim_offsets", true);
        byteLevel.put("use_regex", false);
        root.set("post_processor", bosPostProcessor());
        ObjectNode decoder = root.putObject("decoder");
        decoder.put("type", "ByteLevel");
        decoder.put("add_prefix_space", true);
        decoder.put("trim_offsets", true);
        decoder.put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < vocab.size(); i++) {
            v.put(vocab.get(i), i);
        }
        ArrayNode m = model.putArray("merges");
        for (String[] pair : merges) {
            m.add(pair[0] + " " + pair[1]);
        }
        return write(root);
    }

    /** TemplateProcessing that prepends {@code <s>} (what HF's AutoTokenizer applies with add_special_tokens). */
    private ObjectNode bosPostProcessor() {
        ObjectNode pp = JSON.createObjectNode();
        pp.put("type", "TemplateProcessing");
        ArrayNode single = pp.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = pp.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode st = pp.putObject("special_tokens").putObject("<s>");
        st.put("id", "<s>");
        st.putArray("ids").add(ids.get("<s>"));
        st.putArray("tokens").add("<s>");
        return pp;
    }

    /**
     * The {@code tokenizer_config.json} document. It deliberately has no {@code "legacy"} key: Jlama reads
     * {@code legacy: false} as "no byte-level mapping" and would then mis-encode every space.
     */
    public String tokenizerConfigJson() {
        ObjectNode c = JSON.createObjectNode();
        c.put("tokenizer_class", "PreTrainedTokenizerFast");
        c.put("add_bos_token", true);
        c.put("add_eos_token", false);
        c.put("bos_token", "<s>");
        c.put("eos_token", "</s>");
        c.put("unk_token", "<unk>");
        c.put("pad_token", "<pad>");
        c.put("model_max_length", modelMaxLength);
        c.put("clean_up_tokenization_spaces", false);
        ArrayNode extra = c.putArray("additional_special_tokens");
        specialTokens.stream().filter(s -> !CORE_TOKENS.contains(s)).forEach(extra::add);
        ObjectNode decoderMap = c.putObject("added_tokens_decoder");
        for (String s : specialTokens) {
            ObjectNode t = decoderMap.putObject(String.valueOf(ids.get(s)));
            t.put("content", s);
            t.put("lstrip", false);
            t.put("normalized", false);
            t.put("rstrip", false);
            t.put("single_word", false);
            t.put("special", true);
        }
        if (chatTemplate != null) {
            c.put("tga4j_template", chatTemplate);
            String jinja = JinjaChatTemplates.forName(chatTemplate);
            if (jinja != null) {
                c.put("chat_template", jinja);
            }
        }
        return write(PRETTY, c);
    }

    /** The {@code special_tokens_map.json} document. */
    public String specialTokensMapJson() {
        ObjectNode c = JSON.createObjectNode();
        c.put("bos_token", "<s>");
        c.put("eos_token", "</s>");
        c.put("unk_token", "<unk>");
        c.put("pad_token", "<pad>");
        ArrayNode extra = c.putArray("additional_special_tokens");
        specialTokens.stream().filter(s -> !CORE_TOKENS.contains(s)).forEach(extra::add);
        return write(PRETTY, c);
    }

    /**
     * Writes {@code tokenizer.json}, {@code tokenizer_config.json} and {@code special_tokens_map.json} into
     * {@code dir} (created if needed); each file goes to a temporary file first and is then moved into place.
     *
     * @throws UncheckedIOException naming the directory when writing fails
     */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve("tokenizer.json"), tokenizerJson());
            writeAtomically(dir.resolve("tokenizer_config.json"), tokenizerConfigJson());
            writeAtomically(dir.resolve("special_tokens_map.json"), specialTokensMapJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokenizer files to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String write(ObjectNode node) {
        return write(JSON.writer(), node);
    }

    private static String write(com.fasterxml.jackson.databind.ObjectWriter writer, ObjectNode node) {
        try {
            return writer.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise tokenizer JSON", e);
        }
    }
}
