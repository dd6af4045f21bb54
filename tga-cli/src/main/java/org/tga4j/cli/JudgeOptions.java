package org.tga4j.cli;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.tga4j.eval.judge.Judges;
import org.tga4j.eval.judge.RefusalTokens;
import picocli.CommandLine.Option;

/** Judge options shared by {@code tga eval} and {@code tga judge}. */
final class JudgeOptions {
    @Option(names = "--judge", description = "Judge(s): vlguard, gcg, jbb, xstest, first-token, http (repeatable;"
            + " default: vlguard, gcg, jbb, first-token).")
    List<String> judges;
    @Option(names = "--first-token-threshold", defaultValue = "0.5",
            description = "Refusal-token mass at or above which the first-token judge says refused.")
    double threshold;
    @Option(names = "--refusal-word", description = "Refusal words, resolved from the tokenizer (repeatable; default: Sorry, I).")
    List<String> refusalWords;
    @Option(names = "--judge-url", description = "OpenAI-compatible chat-completions URL for the http judge (off unless given).")
    URI judgeUrl;
    @Option(names = "--judge-model", defaultValue = "judge") String judgeModel;
    @Option(names = "--judge-key-env", description = "Environment variable holding the http judge's bearer token.")
    String judgeKeyEnv;
    @Option(names = "--judge-timeout", defaultValue = "60", description = "Seconds per http judge request.") int timeout;

    List<String> judgeNames() {
        return judges == null || judges.isEmpty() ? List.of("vlguard", "gcg", "jbb", "first-token") : judges;
    }

    Judges.Options options() {
        return new Judges.Options(threshold, refusalWords == null || refusalWords.isEmpty()
                ? RefusalTokens.DEFAULT_WORDS : refusalWords, judgeUrl, judgeModel,
                judgeKeyEnv == null ? null : System.getenv(judgeKeyEnv), Duration.ofSeconds(timeout));
    }
}
