package org.tga4j.runtime.text;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic generator of English-looking text (common function words plus invented words built from
 * syllables, sentences with punctuation and numbers) used to train tokenizers for random models.
 */
public final class PseudoEnglish {
    private static final String[] COMMON = {
        "the", "a", "an", "of", "and", "to", "in", "is", "it", "that", "on", "with", "for", "as", "was", "are",
        "this", "there", "image", "picture", "shows", "man", "woman", "dog", "cat", "red", "blue", "green",
        "small", "large", "on", "under", "near", "table", "street", "car", "tree", "sky", "water", "people",
        "what", "is", "in", "describe", "answer", "question", "sorry", "cannot", "help", "I", "you", "can",
    };
    private static final String[] ONSETS = {"b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t",
        "v", "w", "br", "cl", "st", "tr", "sh", "ch", "th", "pl", "gr"};
    private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ea", "ou", "ai", "io"};
    private static final String[] CODAS = {"", "", "n", "r", "s", "t", "l", "nd", "ng", "st"};

    private PseudoEnglish() {}

    /** Lines of text totalling at least {@code approxChars} characters, the same for the same seed. */
    public static List<String> corpus(long seed, int approxChars) {
        SplittableRandom rnd = new SplittableRandom(seed);
        String[] lexicon = new String[600];
        for (int i = 0; i < lexicon.length; i++) {
            StringBuilder w = new StringBuilder();
            int syllables = 1 + rnd.nextInt(3);
            for (int s = 0; s < syllables; s++) {
                w.append(ONSETS[rnd.nextInt(ONSETS.length)]).append(VOWELS[rnd.nextInt(VOWELS.length)])
                        .append(CODAS[rnd.nextInt(CODAS.length)]);
            }
            lexicon[i] = w.toString();
        }
        List<String> lines = new ArrayList<>();
        int total = 0;
        while (total < approxChars) {
            StringBuilder line = new StringBuilder();
            int sentences = 1 + rnd.nextInt(3);
            for (int s = 0; s < sentences; s++) {
                int n = 4 + rnd.nextInt(10);
                for (int i = 0; i < n; i++) {
                    // Zipf-like choice: common words often, lexicon words with a skewed rank distribution
                    String w = rnd.nextInt(3) == 0 ? COMMON[rnd.nextInt(COMMON.length)]
                            : lexicon[(int) (lexicon.length * Math.pow(rnd.nextDouble(), 2.5))];
                    if (i == 0) {
                        w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
                    } else {
                        line.append(' ');
                    }
                    line.append(w);
                    if (rnd.nextInt(25) == 0) {
                        line.append(' ').append(rnd.nextInt(1000));
                    }
                    if (i + 1 < n && rnd.nextInt(12) == 0) {
                        line.append(',');
                    }
                }
                line.append(rnd.nextInt(6) == 0 ? "?" : ".");
                if (s + 1 < sentences) {
                    line.append(' ');
                }
            }
            lines.add(line.toString());
            total += line.length() + 1;
        }
        return lines;
    }
}
