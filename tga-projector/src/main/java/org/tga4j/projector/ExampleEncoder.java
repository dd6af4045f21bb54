package org.tga4j.projector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.datasets.Turn;
import org.tga4j.runtime.config.LlavaConfig;
import org.tga4j.runtime.text.ChatMessage;
import org.tga4j.runtime.text.ChatTemplate;
import org.tga4j.runtime.text.EncodedPrompt;
import org.tga4j.runtime.text.PromptOptions;
import org.tga4j.runtime.text.SpanKind;
import org.tga4j.runtime.text.TextTokenizer;

/**
 * Turns LLaVA records into {@link TrainingExample}s: the conversation through the chat template (spans from its
 * {@link org.tga4j.runtime.text.PromptLayout}, never offsets) and, for TGA, the text-only caption sequence.
 *
 * <ul>
 *   <li>Stage 1 ({@code plain}): {@code <s><image>{caption}\n}; no retrieved text, so only {@code L_pair} applies.
 *   <li>Stage 2 TGA: the first user turn becomes {@code Retrieved Text: {r}. <image>\n{q}}.
 *   <li>Target: the same template over one user message {@code <image> {caption}} with {@code <image>} kept as
 *       text (for {@code plain}: user {@code <image>}, answer {@code {caption}}); the caption tokens are that
 *       sequence's QUESTION and ANSWER spans.
 *   <li>Samples without an image, without a caption, or flagged as text-side safety samples get the LM loss only.
 * </ul>
 */
public final class ExampleEncoder {
    private final ChatTemplate template;
    private final TextTokenizer tokenizer;
    private final LlavaConfig llava;
    private final ImageRoot imageRoot;
    private final TrainConfig config;

    public ExampleEncoder(ChatTemplate template, TextTokenizer tokenizer, LlavaConfig llava, ImageRoot imageRoot,
            TrainConfig config) {
        this.template = template;
        this.tokenizer = tokenizer;
        this.llava = llava;
        this.imageRoot = imageRoot;
        this.config = config;
    }

    /**
     * Encodes one record.
     *
     * @throws IllegalArgumentException naming the record when it cannot be trained on (missing image file, no
     *     answer, conversation the template rejects)
     */
    public TrainingExample encode(LlavaRecord r) {
        try {
            return encodeChecked(r);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("record " + r.id() + ": " + e.getMessage(), e);
        }
    }

    private TrainingExample encodeChecked(LlavaRecord r) {
        List<ChatMessage> messages = messages(r);
        Path image = null;
        PromptOptions options;
        if (r.hasImage()) {
            image = imageRoot.resolve(r.image());
            if (!Files.isRegularFile(image)) throw new IllegalArgumentException("image file " + image + " does not exist");
            options = PromptOptions.withImage(llava.imageTokenIndex(), llava.imageTokensPerImage());
        } else {
            options = PromptOptions.textOnly();
        }
        String caption = caption(r);
        boolean aligned = config.isTga() && image != null && caption != null && !flaggedTextSafety(r);
        if (aligned && config.stage() == 2 && r.retrievedCaption() != null && !r.retrievedCaption().isBlank()) {
            options = options.withRetrievedText(r.retrievedCaption());
        }
        options = options.withSystemPrompt(config.systemPrompt()).withGenerationPrompt(false);
        EncodedPrompt prompt = template.encode(messages, options, tokenizer);
        if (prompt.layout().count(SpanKind.ANSWER) == 0) throw new IllegalArgumentException("no answer tokens to train on");
        if (!aligned) return new TrainingExample(r.id(), prompt, image, null, new int[0]);
        EncodedPrompt target = captionSequence(caption);
        boolean[] mask = target.layout().mask(SpanKind.QUESTION, SpanKind.ANSWER);
        int[] positions = positions(mask);
        if (positions.length == 0) throw new IllegalArgumentException("caption \"" + caption + "\" has no tokens");
        return new TrainingExample(r.id(), prompt, image, target, positions);
    }

    /** The text-only target sequence for a caption. */
    public EncodedPrompt captionSequence(String caption) {
        List<ChatMessage> m = template.name().equals("plain")
                ? List.of(ChatMessage.user(Turn.IMAGE_TOKEN), ChatMessage.assistant(caption.strip()))
                : List.of(ChatMessage.user(Turn.IMAGE_TOKEN + " " + caption.strip()));
        return template.encode(m, PromptOptions.textOnly().withSystemPrompt(config.systemPrompt())
                .withGenerationPrompt(false), tokenizer);
    }

    private boolean flaggedTextSafety(LlavaRecord r) {
        if (config.textSafetyField() == null) return false;
        var v = r.extra().get(config.textSafetyField());
        return v != null && v.asBoolean(false);
    }

    /** The image's caption: {@code image_caption}, or for stage 1 the record's answer (LCS-558K's gpt turn). */
    private String caption(LlavaRecord r) {
        if (r.imageCaption() != null && !r.imageCaption().isBlank()) return r.imageCaption();
        if (config.stage() == 1) {
            String a = r.firstAnswer();
            return a == null || a.isBlank() ? null : a;
        }
        return null;
    }

    static List<ChatMessage> messages(LlavaRecord r) {
        List<ChatMessage> out = new ArrayList<>();
        for (Turn t : r.conversations()) {
            if (t.isHuman()) out.add(ChatMessage.user(t.value()));
            else if (t.isGpt()) out.add(ChatMessage.assistant(t.value()));
            else if ("system".equals(t.from())) out.add(ChatMessage.system(t.value()));
            else throw new IllegalArgumentException("unknown turn speaker '" + t.from() + "' (expected human or gpt)");
        }
        return out;
    }

    static int[] positions(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) if (b) n++;
        int[] out = new int[n];
        for (int i = 0, j = 0; i < mask.length; i++) if (mask[i]) out[j++] = i;
        return out;
    }
}
