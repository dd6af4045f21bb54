package org.tga4j.eval.report;

import java.util.List;
import org.tga4j.eval.bench.Decoding;

/**
 * Everything a number in a report depends on, so it can be recomputed.
 *
 * @param tga4jVersion tga4j version
 * @param created ISO-8601 UTC time the report was written
 * @param command the command line that made it
 * @param modelPath model directory
 * @param modelSha256 SHA-256 over the model's weight files
 * @param template chat template name
 * @param weightPrecision how the language model's projection weights were held ({@code float32} or {@code float16});
 *     null in reports written before it was recorded (float32)
 * @param sets the sets, with hashes and skipped items
 * @param defaultPrompts the request list for items without a prompt
 * @param setPrompts per-set request lists that replaced the default one
 * @param decoding pinned decoding settings (null for the probe)
 * @param settings prompt settings run ({@code plain}, {@code tga})
 * @param retrieval how the TGA prefix was retrieved (index, embedder), or null
 * @param refusalWords refusal words of the first-token judge and the probe
 * @param refusalTokenIds their ids in this model's tokenizer
 * @param bootstrapResamples resamples per confidence interval
 * @param bootstrapSeed base seed of the intervals
 * @param generationsFile the raw generations JSONL, or null
 * @param generationsSha256 its SHA-256 when the report was written, or null
 * @param run the generation run fingerprint, or null
 */
public record ReproManifest(String tga4jVersion, String created, String command, String modelPath, String modelSha256,
        String template, String weightPrecision, List<SetInfo> sets, List<String> defaultPrompts,
        java.util.Map<String, List<String>> setPrompts, Decoding decoding, List<String> settings,
        String retrieval, List<String> refusalWords, List<Integer> refusalTokenIds, int bootstrapResamples,
        long bootstrapSeed, String generationsFile, String generationsSha256, String run) {}
