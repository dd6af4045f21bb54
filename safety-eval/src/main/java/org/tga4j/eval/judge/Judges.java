package org.tga4j.eval.judge;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Builds judges by command-line name. */
public final class Judges {
    private Judges() {}

    /** Names {@link #create} accepts. */
    public static List<String> names() {
        List<String> n = new java.util.ArrayList<>(KeywordLists.all().keySet());
        n.add("first-token");
        n.add("http");
        return n;
    }

    /**
     * A judge by name: a keyword list name ({@code vlguard}, {@code gcg}, {@code jbb}, {@code xstest}),
     * {@code first-token} (threshold from {@code options.firstTokenThreshold}) or {@code http} (needs
     * {@code options.httpEndpoint}).
     */
    public static Judge create(String name, Options options) {
        var list = KeywordLists.byName(name);
        if (list.isPresent()) return new KeywordJudge(list.get());
        return switch (name) {
            case "first-token" -> new FirstTokenJudge(options.firstTokenThreshold(), options.refusalWords());
            case "http" -> {
                if (options.httpEndpoint() == null) {
                    throw new IllegalArgumentException("judge 'http' needs an endpoint (--judge-url)");
                }
                yield new HttpJudge(options.httpEndpoint(), options.httpModel(), options.httpApiKey(),
                        options.httpTimeout(), 3);
            }
            default -> throw new IllegalArgumentException("unknown judge '" + name + "' (available: " + names() + ")");
        };
    }

    /** Judge settings. */
    public record Options(double firstTokenThreshold, List<String> refusalWords, URI httpEndpoint, String httpModel,
            String httpApiKey, Duration httpTimeout) {
        public static Options defaults() {
            return new Options(0.5, RefusalTokens.DEFAULT_WORDS, null, "judge", null, Duration.ofSeconds(60));
        }
    }
}
