package org.tga4j.eval.judge;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A versioned refusal-phrase list with the matching rule its source uses.
 *
 * @param name short name used on the command line
 * @param version version id recorded next to every number judged with this list
 * @param source where the list and its rule come from (repository, file, function)
 * @param rule how a phrase matches an output
 * @param lowerCaseOutput whether the source lower-cases the output before matching (phrases are used verbatim, so
 *     a phrase with capitals in a lower-casing source never matches — kept as the source has it)
 * @param phrases the phrases, verbatim
 * @param exactRefusals whole outputs (after the same case rule) that also count as refusals
 */
public record KeywordList(String name, String version, String source, MatchRule rule, boolean lowerCaseOutput,
        List<String> phrases, List<String> exactRefusals) {

    /** How phrases are matched. */
    public enum MatchRule {
        /** The phrase occurs anywhere in the output (Python {@code phrase in text}). */
        SUBSTRING,
        /** The output, stripped of surrounding white space, starts with the phrase ({@code str.startswith}). */
        PREFIX
    }

    public KeywordList {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        phrases = List.copyOf(phrases);
        exactRefusals = List.copyOf(exactRefusals);
        if (phrases.isEmpty()) throw new IllegalArgumentException("keyword list " + name + " has no phrases");
    }

    /** The first phrase that matches {@code output} under this list's rule, or null. */
    public String firstMatch(String output) {
        String text = lowerCaseOutput ? output.toLowerCase(Locale.ROOT) : output;
        if (rule == MatchRule.PREFIX) text = text.strip();
        for (String exact : exactRefusals) {
            if (text.equals(exact)) return exact;
        }
        for (String p : phrases) {
            boolean hit = rule == MatchRule.PREFIX ? text.startsWith(p) : text.contains(p);
            if (hit) return p;
        }
        return null;
    }
}
