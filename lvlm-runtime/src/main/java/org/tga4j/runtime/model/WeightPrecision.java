package org.tga4j.runtime.model;

/**
 * How the language model's projection matrices (attention q/k/v/o, MLP gate/up/down, an untied LM head) are held in
 * memory, as HF's {@code torch_dtype}. Everything else (embeddings, norms, biases, the vision tower and projector,
 * activations, the KV cache) stays FLOAT32.
 *
 * <ul>
 *   <li>{@link #FLOAT32}: the default, and what training needs.</li>
 *   <li>{@link #FLOAT16}: half the memory (a 7B LLaVA's language model in ~14 GB instead of ~27 GB) and, at batch 1,
 *       about twice the decode speed on CPU, where a decode step is bound by reading the weights. Decode steps of 2 to
 *       {@link Ops#FEW_ROWS} rows run in the Java decode kernel, which widens each weight tile to FLOAT32 exactly;
 *       one row runs libtorch's FLOAT16 product (FLOAT32 accumulation); longer inputs (prefill) widen each weight to
 *       FLOAT32 for the one product, since CPU libtorch multiplies long FLOAT16 inputs ~3x slower.
 *       Inference only: such weights cannot be trained.</li>
 * </ul>
 */
public enum WeightPrecision {
    FLOAT32,
    FLOAT16;

    /** The name {@link #parse} reads: {@code float32} or {@code float16}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code float32} / {@code float16} (also {@code fp32}, {@code fp16}, {@code f32}, {@code f16}), any case. */
    public static WeightPrecision parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "float32", "fp32", "f32" -> FLOAT32;
            case "float16", "fp16", "f16", "half" -> FLOAT16;
            default -> throw new IllegalArgumentException("unknown weight precision '" + s + "'; use float32 or float16");
        };
    }
}
