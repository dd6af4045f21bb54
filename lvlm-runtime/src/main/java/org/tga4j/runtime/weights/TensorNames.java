package org.tga4j.runtime.weights;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Helps error messages: finds stored tensor names close to a missing one. */
final class TensorNames {
    private static final int MAX_SUGGESTIONS = 5;

    private TensorNames() {
    }

    /**
     * A message suffix listing up to five stored names that share the longest dot-separated suffix (failing that, prefix) with
     * {@code missing} (so {@code layers.0.self_attn.q_proj.weight} finds
     * {@code language_model.model.layers.0.self_attn.q_proj.weight}), or an empty string when none shares one.
     */
    static String suggestions(String missing, Collection<String> names) {
        String[] want = missing.split("\\.");
        record Scored(String name, int score) {
        }
        List<Scored> scored = new ArrayList<>();
        for (String n : names) {
            int s = commonSuffixSegments(want, n.split("\\."));
            if (s > 0) {
                scored.add(new Scored(n, s));
            }
        }
        if (scored.isEmpty()) {
            for (String n : names) {
                int s = commonPrefixSegments(want, n.split("\\."));
                if (s > 0) {
                    scored.add(new Scored(n, s));
                }
            }
        }
        if (scored.isEmpty()) {
            return names.isEmpty() ? "" : "; no stored name shares its first or last component";
        }
        scored.sort(Comparator.comparingInt(Scored::score).reversed().thenComparing(Scored::name));
        List<String> best = scored.stream().limit(MAX_SUGGESTIONS).map(Scored::name).toList();
        return "; close names: " + String.join(", ", best);
    }

    private static int commonPrefixSegments(String[] a, String[] b) {
        int n = 0;
        while (n < a.length && n < b.length && a[n].equals(b[n])) {
            n++;
        }
        return n;
    }

    private static int commonSuffixSegments(String[] a, String[] b) {
        int i = a.length - 1;
        int j = b.length - 1;
        int n = 0;
        while (i >= 0 && j >= 0 && a[i].equals(b[j])) {
            n++;
            i--;
            j--;
        }
        return n;
    }
}
