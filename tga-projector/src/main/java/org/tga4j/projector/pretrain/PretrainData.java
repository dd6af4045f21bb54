package org.tga4j.projector.pretrain;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.CaptionCorpus;
import org.tga4j.datasets.LlavaJsonReader;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.datasets.Turn;
import org.tga4j.projector.TrainingExample;
import org.tga4j.runtime.text.ChatMessage;
import org.tga4j.runtime.text.ChatTemplate;
import org.tga4j.runtime.text.EncodedPrompt;
import org.tga4j.runtime.text.PromptLayout;
import org.tga4j.runtime.text.PromptOptions;
import org.tga4j.runtime.text.Span;
import org.tga4j.runtime.text.SpanKind;
import org.tga4j.runtime.text.TextTokenizer;

/**
 * Reads and encodes the pretraining data into {@link TrainingExample}s whose ANSWER spans are the tokens the loss is
 * on (what {@link org.tga4j.projector.Batch} turns into shifted labels).
 *
 * <ul>
 *   <li>Conversations (LLaVA JSON, text-only rows): rendered by the chat template; the loss is on the answer spans
 *       of its {@link PromptLayout} (each answer and its end-of-turn token). Rows with an image are not text and are
 *       ignored (counted in {@link Loaded#imageRows()}).
 *   <li>Documents (caption JSONL): {@code <s>{text}</s>}; the loss is on every token after {@code <s>}.
 * </ul>
 * A record that cannot be trained on (malformed, unknown speaker, no answer, empty text, longer than
 * {@code maxLength}) goes to the {@link BadRecordReport}, naming the file, the record and the problem.
 */
public final class PretrainData {
    private final ChatTemplate template;
    private final TextTokenizer tokenizer;
    private final String systemPrompt;
    private final int maxLength;

    /**
     * @param systemPrompt the conversations' system prompt; null = the template's default
     * @param maxLength longer sequences are bad records; 0 = no limit
     */
    public PretrainData(ChatTemplate template, TextTokenizer tokenizer, String systemPrompt, int maxLength) {
        this.template = template;
        this.tokenizer = tokenizer;
        this.systemPrompt = systemPrompt;
        this.maxLength = maxLength;
    }

    /** What was read: the examples in file order, and how many image rows were left out. */
    public record Loaded(List<TrainingExample> examples, long conversations, long documents, long imageRows) {}

    /** Reads every file (conversations first, then documents). */
    public Loaded read(List<Path> conversationFiles, List<Path> documentFiles, BadRecordReport report)
            throws IOException {
        List<TrainingExample> out = new ArrayList<>();
        long imageRows = 0;
        for (Path file : conversationFiles) {
            long index = 0;
            try (LlavaJsonReader reader = new LlavaJsonReader(file, report)) {
                while (reader.hasNext()) {
                    LlavaRecord r = reader.next();
                    long i = index++;
                    if (r.hasImage()) {
                        imageRows++;
                        continue;
                    }
                    try {
                        keep(out, conversation(r), file, i, report);
                    } catch (RuntimeException e) {
                        report.report(file, i, -1, "record " + r.id() + ": " + e.getMessage());
                    }
                }
            }
        }
        int conversations = out.size();
        for (Path file : documentFiles) {
            long[] index = {0};
            CaptionCorpus.forEach(file, report, c -> {
                long i = index[0]++;
                try {
                    keep(out, document(c.id(), c.text()), file, i, report);
                } catch (RuntimeException e) {
                    report.report(file, i, -1, "record " + c.id() + ": " + e.getMessage());
                }
            });
        }
        return new Loaded(out, conversations, out.size() - conversations, imageRows);
    }

    private void keep(List<TrainingExample> out, TrainingExample e, Path file, long index, BadRecordReport report) {
        if (maxLength > 0 && e.length() > maxLength) {
            report.report(file, index, -1, "record " + e.id() + ": " + e.length() + " tokens, more than maxLength "
                    + maxLength);
            return;
        }
        out.add(e);
    }

    /**
     * A text-only conversation through the chat template.
     *
     * @throws IllegalArgumentException when a turn's speaker is neither human, gpt nor system, or no answer remains
     */
    public TrainingExample conversation(LlavaRecord r) {
        List<ChatMessage> messages = new ArrayList<>();
        for (Turn t : r.conversations()) {
            if (t.isHuman()) messages.add(ChatMessage.user(t.value()));
            else if (t.isGpt()) messages.add(ChatMessage.assistant(t.value()));
            else if ("system".equals(t.from())) messages.add(ChatMessage.system(t.value()));
            else throw new IllegalArgumentException("unknown turn speaker '" + t.from() + "' (expected human or gpt)");
        }
        PromptOptions options = PromptOptions.textOnly().withSystemPrompt(systemPrompt).withGenerationPrompt(false);
        EncodedPrompt prompt = template.encode(messages, options, tokenizer);
        if (prompt.layout().count(SpanKind.ANSWER) == 0) {
            throw new IllegalArgumentException("no answer tokens to train on");
        }
        return new TrainingExample(r.id(), prompt, null, null, new int[0]);
    }

    /**
     * A document {@code <s>{text}</s>}: one TEMPLATE position for {@code <s>}, the rest ANSWER (every token is
     * predicted from the ones before it).
     *
     * @throws IllegalArgumentException for a blank text
     */
    public TrainingExample document(String id, String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty text");
        int[] body = tokenizer.encode(text.strip());
        int[] ids = new int[body.length + 2];
        ids[0] = tokenizer.bosId();
        System.arraycopy(body, 0, ids, 1, body.length);
        ids[ids.length - 1] = tokenizer.eosId();
        PromptLayout layout = new PromptLayout(List.of(new Span(SpanKind.TEMPLATE, 0, 1, -1),
                new Span(SpanKind.ANSWER, 1, ids.length, 0)));
        return new TrainingExample(id, new EncodedPrompt(ids, layout), null, null, new int[0]);
    }
}
