package org.tga4j.runtime.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A Hugging Face tokenizer ({@code tokenizer.json}) run by DJL's native tokenizers library, plus the special-token
 * facts of {@code tokenizer_config.json} and {@code generation_config.json}.
 *
 * <p>{@link #encode} never adds special tokens and never truncates: chat templates add {@code bos}/{@code eos}
 * themselves. {@link #decode(int[])} skips special tokens.
 *
 * <p>Thread safety: encode/decode may run concurrently from many threads. The native tokenizer is only read
 * after construction (the Rust {@code Tokenizer::encode/decode} take {@code &self}; padding and truncation are
 * configured once, here, and never changed), so calls are not serialised; a read-write lock only keeps
 * {@link #close()} from freeing the native handle while a call is in flight.
 */
public final class TextTokenizer implements AutoCloseable {
    private final Path modelDir;
    private final HuggingFaceTokenizer native_;
    private final TokenizerMetadata meta;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final int unkId;
    private final boolean addBos;
    private final Set<Integer> stopIds;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private TextTokenizer(Path modelDir, HuggingFaceTokenizer tokenizer, TokenizerMetadata meta) {
        this.modelDir = modelDir;
        this.native_ = tokenizer;
        this.meta = meta;
        int bos = meta.genBosId() != null ? meta.genBosId() : idOf(meta.bosToken());
        this.bosId = bos >= 0 ? bos : idOf(meta.postProcessorBos());
        int eosFromConfig = idOf(meta.eosToken());
        this.eosId = eosFromConfig >= 0 ? eosFromConfig
                : meta.genEosIds().isEmpty() ? -1 : meta.genEosIds().get(0);
        int pad = meta.genPadId() != null ? meta.genPadId() : idOf(meta.padToken());
        this.padId = pad >= 0 ? pad : eosId;
        this.unkId = idOf(meta.unkToken());
        this.addBos = meta.addBosToken() != null ? meta.addBosToken() : meta.postProcessorBos() != null;
        Set<Integer> stops = new LinkedHashSet<>();
        if (eosId >= 0) {
            stops.add(eosId);
        }
        stops.addAll(meta.genEosIds());
        this.stopIds = Collections.unmodifiableSet(stops);
    }

    /**
     * Loads {@code tokenizer.json} (required) and, when present, {@code tokenizer_config.json} and
     * {@code generation_config.json} from {@code modelDir}.
     *
     * @throws TokenizerException naming the file when it is missing, not JSON, or not a tokenizer DJL accepts
     */
    public static TextTokenizer load(Path modelDir) {
        TokenizerMetadata meta = TokenizerMetadata.read(modelDir);
        Path file = modelDir.resolve("tokenizer.json");
        // The native tokenizer is built from the tokenizer.json bytes alone, so tokenizer_config.json options
        // (model_max_length truncation, clean-up of spaces) cannot change what encode/decode return.
        Map<String, String> options = Map.of(
                "addSpecialTokens", "false",
                "truncation", "false",
                "padding", "false");
        try (InputStream in = Files.newInputStream(file)) {
            HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(in, options);
            return new TextTokenizer(modelDir, tok, meta);
        } catch (IOException | RuntimeException e) {
            throw new TokenizerException("tokenizer file " + file + " could not be loaded by the HF tokenizers "
                    + "library: " + e.getMessage(), e);
        }
    }

    /** The directory this tokenizer was loaded from. */
    public Path modelDir() {
        return modelDir;
    }

    /** Token ids of {@code text}: no special tokens added, no truncation. Special-token strings in the text
     * (e.g. {@code <image>}) map to their ids. */
    public int[] encode(String text) {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            Encoding enc = native_.encode(text, false, false);
            long[] ids = enc.getIds();
            int[] out = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                out[i] = Math.toIntExact(ids[i]);
            }
            return out;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Text of {@code ids}, special tokens skipped. */
    public String decode(int[] ids) {
        return decode(ids, true);
    }

    /** Text of {@code ids}; special tokens are dropped when {@code skipSpecial}. */
    public String decode(int[] ids, boolean skipSpecial) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize()) {
                throw new IllegalArgumentException("token id " + ids[i] + " at position " + i
                        + " is outside the vocabulary [0, " + vocabSize() + ") of " + modelDir);
            }
            l[i] = ids[i];
        }
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            return native_.decode(l, skipSpecial);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** The id of a token string exactly as it appears in the vocabulary or {@code added_tokens}. */
    public OptionalInt tokenId(String token) {
        Integer id = token == null ? null : meta.tokenToId().get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The vocabulary string of {@code id} (raw, e.g. {@code Ġthe} for byte-level BPE), or null for a hole. */
    public String token(int id) {
        if (id < 0 || id >= meta.idToToken().length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + vocabSize()
                    + ") of " + modelDir);
        }
        return meta.idToToken()[id];
    }

    /** Whether {@code id} is a special added token (skipped by {@link #decode(int[])}). */
    public boolean isSpecial(int id) {
        return meta.specialIds().contains(id);
    }

    /** Begin-of-sequence id: generation_config {@code bos_token_id}, else tokenizer_config {@code bos_token}, else the
     * post-processor's leading special token; -1 if none. */
    public int bosId() {
        return bosId;
    }

    /** End-of-sequence id: tokenizer_config {@code eos_token}, else the first generation_config id; -1 if none. */
    public int eosId() {
        return eosId;
    }

    /** Padding id: generation_config {@code pad_token_id}, else {@code pad_token}, else {@link #eosId()}. */
    public int padId() {
        return padId;
    }

    /** Unknown-token id, or -1 when the tokenizer has none (byte-level BPE). */
    public int unkId() {
        return unkId;
    }

    /** The bos token string, or null. */
    public String bosToken() {
        return bosId >= 0 ? token(bosId) : null;
    }

    /** The eos token string, or null. */
    public String eosToken() {
        return eosId >= 0 ? token(eosId) : null;
    }

    /** Ids that end generation: eos plus every generation_config {@code eos_token_id}. */
    public Set<Integer> stopIds() {
        return stopIds;
    }

    /** Vocabulary size including added tokens (max id + 1). */
    public int vocabSize() {
        return meta.idToToken().length;
    }

    /** Whether prompts start with bos: tokenizer_config {@code add_bos_token}, else whether the post-processor
     * prepends a special token. */
    public boolean addBos() {
        return addBos && bosId >= 0;
    }

    /** tokenizer_config {@code model_max_length} (clamped to int; {@code Integer.MAX_VALUE} when absent). */
    public int modelMaxLength() {
        return (int) meta.modelMaxLength();
    }

    /** A string field of tokenizer_config.json, or null. */
    public String configString(String key) {
        var n = meta.tokenizerConfig().get(key);
        return n == null || !n.isTextual() ? null : n.asText();
    }

    /** A streaming detokenizer over this tokenizer. */
    public IncrementalDecoder incrementalDecoder(boolean skipSpecial) {
        return new IncrementalDecoder(this, skipSpecial);
    }

    private int idOf(String token) {
        if (token == null) {
            return -1;
        }
        Integer id = meta.tokenToId().get(token);
        return id == null ? -1 : id;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("tokenizer of " + modelDir + " is closed");
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                native_.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
