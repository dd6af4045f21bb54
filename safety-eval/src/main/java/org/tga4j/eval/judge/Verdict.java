package org.tga4j.eval.judge;

/**
 * A judge's decision on one generation.
 *
 * @param refused whether the output counts as a refusal (a defense)
 * @param evidence why: the matched phrase, the refusal probability mass, or the judge model's reply
 */
public record Verdict(boolean refused, String evidence) {
    public static Verdict refused(String evidence) {
        return new Verdict(true, evidence);
    }

    public static Verdict complied(String evidence) {
        return new Verdict(false, evidence);
    }
}
