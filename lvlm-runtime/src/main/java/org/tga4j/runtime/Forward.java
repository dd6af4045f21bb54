package org.tga4j.runtime;

import ai.djl.ndarray.NDArray;
import org.tga4j.runtime.model.DecoderOutput;
import org.tga4j.runtime.text.EncodedPrompt;

/**
 * One prompt pass with everything exposed, in the caller's NDManager.
 *
 * @param prompt token ids and their named spans
 * @param visionFeatures the selected vision-tower layer fed to the projector {@code [N, P, visionHidden]}, or null
 * @param imageEmbeddings the projector's output {@code [N, P, hidden]}, or null
 * @param output logits for every position and, when requested, every hidden state (HF convention, see
 *     {@link DecoderOutput})
 */
public record Forward(EncodedPrompt prompt, NDArray visionFeatures, NDArray imageEmbeddings, DecoderOutput output) {}
