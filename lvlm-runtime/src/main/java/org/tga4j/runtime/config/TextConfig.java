package org.tga4j.runtime.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The decoder's {@code config.json} (or a llava {@code text_config}): LLaMA, Mistral and Qwen2 share it.
 * Missing keys take the defaults of the HF config class for {@code model_type}, as HF does — llava-hf
 * checkpoints store only the keys that differ from those defaults.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TextConfig(
        @JsonProperty("model_type") String modelType,
        @JsonProperty("vocab_size") Integer vocabSize,
        @JsonProperty("hidden_size") Integer hiddenSize,
        @JsonProperty("intermediate_size") Integer intermediateSize,
        @JsonProperty("num_hidden_layers") Integer numHiddenLayers,
        @JsonProperty("num_attention_heads") Integer numAttentionHeads,
        @JsonProperty("num_key_value_heads") Integer numKeyValueHeads,
        @JsonProperty("head_dim") Integer headDim,
        @JsonProperty("hidden_act") String hiddenAct,
        @JsonProperty("max_position_embeddings") Integer maxPositionEmbeddings,
        @JsonProperty("rms_norm_eps") Double rmsNormEps,
        @JsonProperty("rope_theta") Double ropeTheta,
        @JsonProperty("tie_word_embeddings") Boolean tieWordEmbeddings,
        @JsonProperty("attention_bias") Boolean attentionBias,
        @JsonProperty("sliding_window") Integer slidingWindow,
        @JsonProperty("bos_token_id") Integer bosTokenId,
        @JsonProperty("eos_token_id") Object eosTokenId,
        @JsonProperty("pad_token_id") Integer padTokenId) {

    public TextConfig {
        modelType = modelType == null ? "llama" : modelType;
        Defaults d = Defaults.of(modelType);
        vocabSize = or(vocabSize, d.vocab);
        hiddenSize = or(hiddenSize, d.hidden);
        intermediateSize = or(intermediateSize, d.intermediate);
        numHiddenLayers = or(numHiddenLayers, 32);
        numAttentionHeads = or(numAttentionHeads, 32);
        numKeyValueHeads = or(numKeyValueHeads, d.kvHeads < 0 ? numAttentionHeads : d.kvHeads);
        headDim = or(headDim, hiddenSize / numAttentionHeads);
        hiddenAct = hiddenAct == null ? "silu" : hiddenAct;
        maxPositionEmbeddings = or(maxPositionEmbeddings, d.maxPositions);
        rmsNormEps = rmsNormEps == null ? d.rmsEps : rmsNormEps;
        ropeTheta = ropeTheta == null ? 10000.0 : ropeTheta;
        tieWordEmbeddings = tieWordEmbeddings != null && tieWordEmbeddings;
        // Qwen2 always has q/k/v biases (and no o bias); LLaMA has them only with attention_bias.
        attentionBias = attentionBias != null && attentionBias;
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("config: num_attention_heads (" + numAttentionHeads
                    + ") must be a multiple of num_key_value_heads (" + numKeyValueHeads + ")");
        }
        if (!"silu".equals(hiddenAct)) {
            throw new IllegalArgumentException("config: hidden_act '" + hiddenAct + "' is not supported (expected silu)");
        }
    }

    /** Whether q/k/v projections carry a bias (always for Qwen2). */
    public boolean qkvBias() {
        return attentionBias || "qwen2".equals(modelType);
    }

    /** Whether the output projection carries a bias (LLaMA's attention_bias; never for Qwen2). */
    public boolean outputBias() {
        return attentionBias && !"qwen2".equals(modelType);
    }

    public int kvGroups() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /** Parameter count of the decoder (embeddings and lm_head included). */
    public long parameterCount() {
        long h = hiddenSize, q = (long) numAttentionHeads * headDim, kv = (long) numKeyValueHeads * headDim;
        long attn = h * q + 2 * h * kv + q * h + (qkvBias() ? q + 2 * kv : 0) + (outputBias() ? h : 0);
        long mlp = 3 * h * intermediateSize;
        long layer = attn + mlp + 2 * h;
        long emb = (long) vocabSize * h;
        return emb + (tieWordEmbeddings ? 0 : emb) + numHiddenLayers * layer + h;
    }

    private static int or(Integer v, int d) {
        return v == null ? d : v;
    }

    private record Defaults(int vocab, int hidden, int intermediate, int kvHeads, int maxPositions, double rmsEps) {
        static Defaults of(String modelType) {
            return switch (modelType) {
                case "llama" -> new Defaults(32000, 4096, 11008, -1, 2048, 1e-6);
                case "mistral" -> new Defaults(32000, 4096, 14336, 8, 4096 * 32, 1e-6);
                case "qwen2" -> new Defaults(151936, 4096, 22016, -1, 32768, 1e-6);
                default -> throw new IllegalArgumentException("config: unknown text model_type '" + modelType
                        + "' (expected llama, mistral or qwen2)");
            };
        }
    }
}
