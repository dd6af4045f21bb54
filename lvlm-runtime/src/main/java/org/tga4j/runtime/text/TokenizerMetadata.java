package org.tga4j.runtime.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link TextTokenizer} needs from the JSON files beside the native tokenizer: the id/token tables of
 * {@code tokenizer.json} (DJL exposes none), the special-token names of {@code tokenizer_config.json} and the
 * ids of {@code generation_config.json}.
 */
record TokenizerMetadata(
        String[] idToToken,
        Map<String, Integer> tokenToId,
        Set<Integer> specialIds,
        String bosToken,
        String eosToken,
        String padToken,
        String unkToken,
        Boolean addBosToken,
        String postProcessorBos,
        long modelMaxLength,
        Integer genBosId,
        List<Integer> genEosIds,
        Integer genPadId,
        JsonNode tokenizerConfig) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static TokenizerMetadata read(Path modelDir) {
        Path tokFile = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokFile)) {
            throw new TokenizerException("tokenizer file " + tokFile + " is missing (expected a Hugging Face "
                    + "tokenizer.json in the model directory)");
        }
        JsonNode tok = readJson(tokFile);
        JsonNode model = tok.get("model");
        if (model == null || !model.isObject() || model.get("vocab") == null) {
            throw new TokenizerException("tokenizer file " + tokFile + " has no \"model\" object with a \"vocab\"");
        }
        Map<String, Integer> toId = new HashMap<>();
        Map<Integer, String> toToken = new HashMap<>();
        JsonNode vocab = model.get("vocab");
        if (vocab.isObject()) {
            vocab.properties().forEach(e -> {
                if (!e.getValue().canConvertToInt()) {
                    throw new TokenizerException("tokenizer file " + tokFile + ": vocab entry \"" + e.getKey()
                            + "\" has a non-integer id " + e.getValue());
                }
                toId.put(e.getKey(), e.getValue().asInt());
                toToken.put(e.getValue().asInt(), e.getKey());
            });
        } else if (vocab.isArray()) { // Unigram: [[piece, score], ...]
            for (int i = 0; i < vocab.size(); i++) {
                String piece = vocab.get(i).isArray() ? vocab.get(i).get(0).asText() : vocab.get(i).asText();
                toId.put(piece, i);
                toToken.put(i, piece);
            }
        } else {
            throw new TokenizerException("tokenizer file " + tokFile + ": \"model.vocab\" must be an object or array");
        }
        Set<Integer> specials = new HashSet<>();
        JsonNode added = tok.get("added_tokens");
        if (added != null && added.isArray()) {
            for (JsonNode t : added) {
                if (!t.hasNonNull("id") || !t.hasNonNull("content")) {
                    throw new TokenizerException("tokenizer file " + tokFile + ": added token " + t
                            + " lacks \"id\" or \"content\"");
                }
                int id = t.get("id").asInt();
                String content = t.get("content").asText();
                toId.put(content, id);
                toToken.put(id, content);
                if (t.path("special").asBoolean(false)) {
                    specials.add(id);
                }
            }
        }
        int size = toToken.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        String[] idToToken = new String[size];
        toToken.forEach((id, s) -> {
            if (id < 0) {
                throw new TokenizerException("tokenizer file " + tokFile + ": negative token id " + id + " for " + s);
            }
            idToToken[id] = s;
        });

        JsonNode cfg = JSON.createObjectNode();
        Path cfgFile = modelDir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(cfgFile)) {
            cfg = readJson(cfgFile);
        }
        Integer genBos = null;
        Integer genPad = null;
        List<Integer> genEos = new ArrayList<>();
        Path genFile = modelDir.resolve("generation_config.json");
        if (Files.isRegularFile(genFile)) {
            JsonNode gen = readJson(genFile);
            genBos = intOrNull(gen.get("bos_token_id"));
            genPad = intOrNull(gen.get("pad_token_id"));
            JsonNode eos = gen.get("eos_token_id");
            if (eos != null && eos.isArray()) {
                eos.forEach(e -> genEos.add(e.asInt()));
            } else if (intOrNull(eos) != null) {
                genEos.add(eos.asInt());
            }
        }
        Boolean addBos = cfg.hasNonNull("add_bos_token") ? cfg.get("add_bos_token").asBoolean() : null;
        long maxLen = cfg.hasNonNull("model_max_length") ? (long) Math.min(cfg.get("model_max_length").asDouble(),
                Integer.MAX_VALUE) : Integer.MAX_VALUE;
        return new TokenizerMetadata(idToToken, toId, specials,
                tokenName(cfg.get("bos_token")), tokenName(cfg.get("eos_token")),
                tokenName(cfg.get("pad_token")), tokenName(cfg.get("unk_token")),
                addBos, postProcessorBos(tok.get("post_processor")), maxLen,
                genBos, List.copyOf(new LinkedHashSet<>(genEos)), genPad, cfg);
    }

    /** A special token given either as a string or as an AddedToken object {@code {"content": ...}}. */
    private static String tokenName(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        JsonNode c = n.get("content");
        return c == null || c.isNull() ? null : c.asText();
    }

    private static Integer intOrNull(JsonNode n) {
        return n == null || !n.canConvertToInt() || n.isNull() ? null : n.asInt();
    }

    /** The special token a TemplateProcessing post-processor puts first in a single sequence, or null. */
    private static String postProcessorBos(JsonNode pp) {
        if (pp == null || !"TemplateProcessing".equals(pp.path("type").asText())) {
            return null;
        }
        JsonNode first = pp.path("single").path(0).path("SpecialToken").path("id");
        return first.isTextual() ? first.asText() : null;
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new TokenizerException("tokenizer file " + file + " is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new TokenizerException("tokenizer file " + file + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
