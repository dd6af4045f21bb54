package org.tga4j.runtime.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The chat templates by name, template detection for a model directory, and {@code <image>} helpers. */
public final class ChatTemplates {
    private static final Map<String, ChatTemplate> TEMPLATES = new LinkedHashMap<>();

    static {
        register(new PlainTemplate());
        register(new VicunaStyleTemplate("llava_v1", JinjaChatTemplates.LLAVA_V1_SYSTEM));
        register(new VicunaStyleTemplate("vicuna_v1", JinjaChatTemplates.VICUNA_V1_SYSTEM));
        register(new LlavaLlama2Template());
        register(new MistralInstructTemplate());
        register(new ChatmlTemplate());
        register(new NoneTemplate());
    }

    private ChatTemplates() {}

    private static void register(ChatTemplate t) {
        TEMPLATES.put(t.name(), t);
    }

    /**
     * The template named {@code name} (case-insensitive; {@code -} and {@code _} alike).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static ChatTemplate byName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        ChatTemplate t = TEMPLATES.get(key);
        if (t == null) {
            throw new IllegalArgumentException("unknown chat template '" + name + "'; known: " + names());
        }
        return t;
    }

    /** All template names. */
    public static List<String> names() {
        return List.copyOf(TEMPLATES.keySet());
    }

    /**
     * The template for a model directory: an explicit {@code "tga4j_template"} in {@code tokenizer_config.json};
     * else the HF {@code chat_template} recognised (ChatML {@code <|im_start|>}, Llama-2 {@code <<SYS>>},
     * Mistral {@code [INST]}); else by {@code modelType}: qwen2 → chatml, mistral → mistral_instruct, llama and
     * llava → llava_v1; else {@code none}.
     */
    public static ChatTemplate detect(Path modelDir, String modelType) {
        Path cfgFile = modelDir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(cfgFile)) {
            JsonNode cfg;
            try {
                cfg = new ObjectMapper().readTree(cfgFile.toFile());
            } catch (IOException e) {
                throw new TokenizerException("tokenizer file " + cfgFile + " is not valid JSON: " + e.getMessage(), e);
            }
            if (cfg != null && cfg.hasNonNull("tga4j_template")) {
                try {
                    return byName(cfg.get("tga4j_template").asText());
                } catch (IllegalArgumentException e) {
                    throw new TokenizerException(cfgFile + ": \"tga4j_template\": " + e.getMessage(), e);
                }
            }
            String jinja = cfg == null ? null : chatTemplateText(cfg.get("chat_template"));
            if (jinja != null) {
                if (jinja.contains("<|im_start|>")) {
                    return byName("chatml");
                }
                if (jinja.contains("<<SYS>>")) {
                    return byName("llava_llama_2");
                }
                if (jinja.contains("[INST]")) {
                    return byName("mistral_instruct");
                }
            }
        }
        String type = modelType == null ? "" : modelType.toLowerCase(Locale.ROOT);
        return switch (type) {
            case "qwen2" -> byName("chatml");
            case "mistral" -> byName("mistral_instruct");
            case "llama", "llava" -> byName("llava_v1");
            default -> byName("none");
        };
    }

    private static String chatTemplateText(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isArray()) { // [{"name": "default", "template": "..."}, ...]
            StringBuilder all = new StringBuilder();
            n.forEach(e -> all.append(e.path("template").asText("")));
            return all.toString();
        }
        return null;
    }

    /** {@code "<image>\n" + text} unless the text already holds an {@code <image>} placeholder. */
    public static String ensureImageToken(String text) {
        return text.contains(PromptBuilder.IMAGE_PLACEHOLDER) ? text : PromptBuilder.IMAGE_PLACEHOLDER + "\n" + text;
    }

    /** Number of {@code <image>} placeholders in {@code text}. */
    public static int countImagePlaceholders(String text) {
        int n = 0;
        for (int i = text.indexOf(PromptBuilder.IMAGE_PLACEHOLDER); i >= 0;
             i = text.indexOf(PromptBuilder.IMAGE_PLACEHOLDER, i + PromptBuilder.IMAGE_PLACEHOLDER.length())) {
            n++;
        }
        return n;
    }

    /** Number of {@code <image>} placeholders over all USER messages. */
    public static int countImagePlaceholders(List<ChatMessage> messages) {
        return messages.stream().filter(m -> m.role() == ChatMessage.Role.USER)
                .mapToInt(m -> countImagePlaceholders(m.content())).sum();
    }
}
