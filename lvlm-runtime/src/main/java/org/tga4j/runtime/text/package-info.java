/**
 * Text side of the runtime: {@link org.tga4j.runtime.text.TextTokenizer} (HF {@code tokenizer.json} through
 * DJL's native tokenizers), a byte-level BPE trainer that writes real HF tokenizer files
 * ({@link org.tga4j.runtime.text.BpeTokenizerTrainer}), and chat templates that return token ids together with
 * a {@link org.tga4j.runtime.text.PromptLayout} of named spans ({@link org.tga4j.runtime.text.ChatTemplates}).
 */
package org.tga4j.runtime.text;
