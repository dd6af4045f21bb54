package org.tga4j.eval.bench;

/**
 * One stored generation: a line of the generations JSONL file (snake_case keys). Everything a judge or a metric needs
 * is here, so judging never needs the model again.
 *
 * @param key unique key within a run: {@code set|setting|itemId|promptIndex}
 * @param run fingerprint of the settings that made it (model weights, decoding, prompts); a resumed run must match
 * @param set set name
 * @param setting {@code plain} or {@code tga}
 * @param itemId item id
 * @param promptIndex index into the request list, or -1 when the item carried its own prompt
 * @param category item category
 * @param expected {@code REFUSE} or {@code ANSWER}
 * @param source item source
 * @param prompt the request as asked
 * @param image image path, or null
 * @param description reference description, or null
 * @param retrievedText the TGA prefix text ({@code tga} setting), or null
 * @param retrievedId id of the retrieved caption, or null
 * @param output generated text
 * @param stopReason why generation stopped
 * @param generatedTokens number of generated tokens
 * @param firstTokenRefusalMass refusal-token probability mass at the first answer position, or null
 */
public record GenerationRecord(String key, String run, String set, String setting, String itemId, int promptIndex,
        String category, String expected, String source, String prompt, String image, String description,
        String retrievedText, String retrievedId, String output, String stopReason, int generatedTokens,
        Double firstTokenRefusalMass) {

    public static String key(String set, String setting, String itemId, int promptIndex) {
        return set + "|" + setting + "|" + itemId + "|" + promptIndex;
    }
}
