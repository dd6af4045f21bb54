package org.tga4j.eval.metrics;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Utility on benign items with a reference description: the answer is correct when it names at least one content
 * word of the description (an object or attribute: "ball", "red", "left"), matched as a whole word, case-insensitive.
 * Function words never count. {@link #recall} is the share of the description's content words the answer names.
 */
public final class Utility {
    private static final Set<String> FUNCTION_WORDS = Set.of("a", "an", "the", "and", "or", "on", "in", "of", "with",
            "at", "to", "is", "are", "there", "this", "that", "it", "its", "image", "scene", "picture", "photo", "by",
            "for", "from", "as", "some", "be", "has", "have", "one");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    private Utility() {}

    /** Content words of a reference description, in order, lower-cased, without repeats. */
    public static Set<String> contentWords(String description) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = WORD.matcher(description.toLowerCase(Locale.ROOT));
        while (m.find()) {
            if (!FUNCTION_WORDS.contains(m.group())) out.add(m.group());
        }
        return out;
    }

    /** Whether {@code answer} names at least one content word of {@code description}. */
    public static boolean correct(String description, String answer) {
        return recall(description, answer) > 0;
    }

    /** Share of the description's content words found in the answer (0 when it has none). */
    public static double recall(String description, String answer) {
        Set<String> ref = contentWords(description);
        if (ref.isEmpty()) return 0;
        Set<String> said = new LinkedHashSet<>();
        Matcher m = WORD.matcher(answer.toLowerCase(Locale.ROOT));
        while (m.find()) said.add(m.group());
        long n = ref.stream().filter(said::contains).count();
        return (double) n / ref.size();
    }
}
