package org.tga4j.eval.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.tga4j.datasets.SafetyItem;
import org.tga4j.eval.Hashing;
import org.tga4j.eval.judge.RefusalTokens;
import org.tga4j.retrieval.Hit;
import org.tga4j.runtime.Generation;
import org.tga4j.runtime.Lvlm;
import org.tga4j.runtime.Request;

/**
 * Runs the benchmark's generations: every item × request × setting ({@code plain}, and {@code tga} with the retrieved
 * prefix when a {@link PrefixRetrieval} is given and the item has an image), in batches, appending each finished
 * batch to the {@link GenerationStore}. Work already in the store is skipped, so a killed run resumes where it stopped.
 */
public final class Evaluator {
    public static final String PLAIN = "plain";
    public static final String TGA = "tga";
    /** The item's description as text in place of the image (the text-only ceiling). */
    public static final String TEXT = "text";

    private final Lvlm lvlm;
    private final EvalConfig config;
    private final PrefixRetrieval retrieval;
    private final RefusalTokens refusalTokens;
    private final String run;

    /** One unit of work. */
    public record Work(LoadedSet set, SafetyItem item, int promptIndex, String prompt, String setting) {
        String key() {
            return GenerationRecord.key(set.name(), setting, item.id(), promptIndex);
        }
    }

    /** What a run did. */
    public record Summary(int total, int generated, int resumed) {}

    /**
     * @param retrieval the TGA prefix source, or null (then only the plain setting runs)
     * @param modelSha256 SHA-256 of the model weights (part of the run fingerprint)
     */
    public Evaluator(Lvlm lvlm, EvalConfig config, PrefixRetrieval retrieval, String modelSha256) {
        if (config.tga() && retrieval == null && !config.plain()) {
            throw new IllegalArgumentException("the tga setting needs a retrieval index and an image embedder");
        }
        this.lvlm = lvlm;
        this.config = config;
        this.retrieval = config.tga() ? retrieval : null;
        this.refusalTokens = RefusalTokens.resolve(lvlm.tokenizer(), config.refusalWords());
        this.run = Hashing.sha256(String.join("\n", modelSha256, config.decoding().toString(),
                String.join("\u0001", config.defaultPrompts()),
                new java.util.TreeMap<>(config.setPrompts()).toString(), String.join("|", config.refusalWords()),
                Boolean.toString(config.firstTokenMass()), String.valueOf(config.textTemplate()), retrieval == null ? "-" : retrieval.description()))
                .substring(0, 16);
    }

    /** The run fingerprint stored with every record. */
    public String run() {
        return run;
    }

    public RefusalTokens refusalTokens() {
        return refusalTokens;
    }

    /** Every unit of work, in a stable order. */
    public List<Work> plan() {
        List<Work> out = new ArrayList<>();
        for (LoadedSet s : config.sets()) {
            for (SafetyItem it : s.items()) {
                List<String> prompts = it.prompt() != null ? List.of(it.prompt()) : config.promptsFor(s.name());
                for (int p = 0; p < prompts.size(); p++) {
                    int index = it.prompt() != null ? -1 : p;
                    if (config.plain()) out.add(new Work(s, it, index, prompts.get(p), PLAIN));
                    if (retrieval != null && it.image() != null) out.add(new Work(s, it, index, prompts.get(p), TGA));
                    if (config.textTemplate() != null && it.description() != null) {
                        out.add(new Work(s, it, index, prompts.get(p), TEXT));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Generates everything not yet in {@code store}.
     *
     * @param onBatch called with the number of items finished after each batch (for progress)
     */
    public Summary run(GenerationStore store, IntConsumer onBatch) {
        List<Work> all = plan();
        List<Work> todo = all.stream().filter(w -> !store.isDone(w.key())).toList();
        for (int i = 0; i < todo.size(); i += config.batchSize()) {
            List<Work> batch = todo.subList(i, Math.min(todo.size(), i + config.batchSize()));
            List<Request> requests = new ArrayList<>();
            List<Hit> prefixes = new ArrayList<>();
            for (Work w : batch) {
                Hit h = w.setting().equals(TGA) ? retrieval.prefixFor(w.item().image(), w.item().id()) : null;
                prefixes.add(h);
                requests.add(request(w, h, config));
            }
            double[] masses = new double[batch.size()];
            List<Generation> gens = config.firstTokenMass()
                    ? lvlm.generate(requests, config.decoding().params(lvlm), (row, p) -> masses[row] = refusalTokens.mass(p))
                    : lvlm.generate(requests, config.decoding().params(lvlm));
            List<GenerationRecord> records = new ArrayList<>();
            for (int k = 0; k < batch.size(); k++) {
                Work w = batch.get(k);
                Hit h = prefixes.get(k);
                Generation g = gens.get(k);
                Double mass = config.firstTokenMass() ? masses[k] : null;
                boolean withImage = !w.setting().equals(TEXT) && w.item().image() != null;
                SafetyItem it = w.item();
                records.add(new GenerationRecord(w.key(), run, w.set().name(), w.setting(), it.id(), w.promptIndex(),
                        it.category(), it.expected().name(), it.source(), w.prompt(),
                        withImage ? it.image().toString() : null, it.description(),
                        h == null ? null : h.text(), h == null ? null : h.id(), g.text(), g.stopReason(),
                        g.tokenIds().length, mass));
            }
            store.append(records);
            if (onBatch != null) onBatch.accept(batch.size());
        }
        return new Summary(all.size(), todo.size(), all.size() - todo.size());
    }

    private static Request request(Work w, Hit prefix, EvalConfig config) {
        if (w.setting().equals(TEXT)) return Request.text(config.textPrompt(w.item().description(), w.prompt()));
        Request r = w.item().image() == null ? Request.text(w.prompt()) : Request.withImage(w.prompt(), w.item().image());
        return prefix == null ? r : r.withRetrievedText(prefix.text());
    }
}
