package org.tga4j.runtime.text;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains a byte-level BPE tokenizer (GPT-2 / Llama-3 style) and returns it as a {@link TrainedTokenizer} that
 * writes real Hugging Face tokenizer files.
 *
 * <p>The pipeline written to {@code tokenizer.json} is: no normalizer; pre-tokenizer {@code Sequence[Split(GPT-2
 * regex, Isolated), ByteLevel(use_regex=false)]}; model {@code BPE} with {@code vocab} and {@code merges} (as
 * {@code "a b"} strings); decoder {@code ByteLevel}. That exact shape is chosen because it is read the same way
 * by DJL's native HF tokenizers and by Jlama 0.8.4 ({@code LlamaTokenizer}/{@code BPETokenizer}): Jlama only
 * switches on its byte-level ("legacy") mapping when the pre-tokenizer is a {@code Sequence} containing a
 * {@code ByteLevel} item, it applies the {@code Split} regex itself (Java regex, {@code Isolated} semantics), it
 * ranks merges from {@code "a b"} strings, and it splits {@code added_tokens} out of the text first. A
 * SentencePiece-style ({@code Metaspace} + byte fallback) file was rejected because Jlama's Metaspace path
 * collapses runs of spaces/tabs into one {@code ▁} and re-prepends {@code ▁} after every added token, so chat
 * templates with {@code [INST]}/{@code <image>} tokens would encode differently. Known Jlama limit of the chosen
 * shape: non-ASCII text (Jlama maps code points, not UTF-8 bytes) — ASCII text encodes identically.
 *
 * <p>Training is deterministic: words are counted after the GPT-2 split, each step merges the most frequent
 * adjacent pair, ties broken by the lexical order of (left token, right token). Token ids: the special tokens
 * first ({@code <unk>}=0, {@code <s>}=1, {@code </s>}=2, {@code <pad>}=3, {@code <image>}=4, then the caller's
 * extras), then the 256 byte symbols in byte order, then merged tokens in merge order.
 */
public final class BpeTokenizerTrainer {
    /** The GPT-2 pre-tokenization regex (also accepted verbatim by Java's and Oniguruma's regex engines). */
    public static final String GPT2_SPLIT_REGEX =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** Special tokens every trained tokenizer carries, in id order. */
    public static final List<String> DEFAULT_SPECIAL_TOKENS = List.of("<unk>", "<s>", "</s>", "<pad>", "<image>");

    private static final Pattern SPLIT = Pattern.compile(GPT2_SPLIT_REGEX);

    private BpeTokenizerTrainer() {}

    /**
     * Trains to {@code vocabSize} tokens (special + 256 byte symbols + merges), merging pairs seen at least twice.
     * Stops early when no pair repeats; {@link TrainedTokenizer#vocabSize()} then tells the reached size.
     */
    public static TrainedTokenizer train(Iterable<String> corpus, int vocabSize, List<String> extraSpecialTokens) {
        return train(corpus, vocabSize, extraSpecialTokens, 2);
    }

    /** As {@link #train(Iterable, int, List)} with an explicit minimum pair frequency (>= 1). */
    public static TrainedTokenizer train(
            Iterable<String> corpus, int vocabSize, List<String> extraSpecialTokens, int minFrequency) {
        if (minFrequency < 1) {
            throw new IllegalArgumentException("minFrequency must be >= 1, got " + minFrequency);
        }
        List<String> specials = specialTokens(extraSpecialTokens);
        int minimum = specials.size() + 256;
        if (vocabSize < minimum) {
            throw new IllegalArgumentException("vocabSize " + vocabSize + " is below the minimum " + minimum
                    + " (" + specials.size() + " special tokens + 256 byte symbols)");
        }
        List<String> vocab = new ArrayList<>(specials);
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < specials.size(); i++) {
            ids.put(specials.get(i), i);
        }
        for (int b = 0; b < 256; b++) {
            String s = String.valueOf(ByteLevelAlphabet.symbol(b));
            ids.put(s, vocab.size());
            vocab.add(s);
        }
        Map<String, Integer> wordCounts = countWords(corpus, specials);
        List<String[]> merges = new MergeLoop(vocab, ids, wordCounts, minFrequency).run(vocabSize);
        return new TrainedTokenizer(vocab, merges, specials);
    }

    /**
     * Writes the tokenizer files of a random test/benchmark model to {@code dir}: a BPE trained on a generated
     * pseudo-English corpus, padded with reserved, never-produced vocabulary entries ({@code <|reserved_N|>}) so the vocabulary has
     * exactly {@code vocabSize} entries. Same seed, same files.
     *
     * @throws IllegalArgumentException if {@code vocabSize} is below 261 (5 special tokens + 256 byte symbols)
     * @throws java.io.UncheckedIOException when the files cannot be written
     */
    public static void writeRandomModelTokenizer(Path dir, int vocabSize, long seed) {
        randomModelTokenizer(vocabSize, seed).save(dir);
    }

    /** The tokenizer {@link #writeRandomModelTokenizer} writes, with exactly {@code vocabSize} tokens. */
    public static TrainedTokenizer randomModelTokenizer(int vocabSize, long seed) {
        List<String> corpus = PseudoEnglish.corpus(seed, 400_000);
        TrainedTokenizer tok = train(corpus, vocabSize, List.of(), 2);
        return tok.paddedTo(vocabSize);
    }

    static List<String> specialTokens(List<String> extra) {
        Set<String> all = new LinkedHashSet<>(DEFAULT_SPECIAL_TOKENS);
        for (String t : extra == null ? List.<String>of() : extra) {
            if (t == null || t.isEmpty()) {
                throw new IllegalArgumentException("special tokens must be non-empty strings, got " + extra);
            }
            all.add(t);
        }
        return List.copyOf(all);
    }

    /** Counts GPT-2-split words (as byte-level strings); special-token strings in the corpus are cut out. */
    private static Map<String, Integer> countWords(Iterable<String> corpus, List<String> specials) {
        StringBuilder alt = new StringBuilder();
        for (String s : specials) {
            alt.append(alt.length() == 0 ? "" : "|").append(Pattern.quote(s));
        }
        Pattern specialPattern = Pattern.compile(alt.toString());
        Map<String, Integer> counts = new HashMap<>();
        for (String text : corpus) {
            if (text == null) {
                continue;
            }
            for (String piece : specialPattern.split(text, -1)) {
                Matcher m = SPLIT.matcher(piece);
                while (m.find()) {
                    counts.merge(ByteLevelAlphabet.encode(m.group()), 1, Integer::sum);
                }
            }
        }
        // TreeMap: a deterministic word order (HashMap order is too, but this makes it independent of capacity)
        return new TreeMap<>(counts);
    }

    /** The incremental pair-count merge loop. */
    private static final class MergeLoop {
        private final List<String> vocab;
        private final Map<String, Integer> ids;
        private final int minFrequency;
        private final int[][] words;
        private final int[] freq;
        private final Map<Long, Long> pairCounts = new HashMap<>();
        private final Map<Long, Set<Integer>> where = new HashMap<>();
        private final PriorityQueue<Candidate> heap;

        private record Candidate(long count, int left, int right) {}

        MergeLoop(List<String> vocab, Map<String, Integer> ids, Map<String, Integer> wordCounts, int minFrequency) {
            this.vocab = vocab;
            this.ids = ids;
            this.minFrequency = minFrequency;
            this.words = new int[wordCounts.size()][];
            this.freq = new int[wordCounts.size()];
            this.heap = new PriorityQueue<>(Comparator.comparingLong((Candidate c) -> -c.count)
                    .thenComparing(c -> vocab.get(c.left))
                    .thenComparing(c -> vocab.get(c.right)));
            int w = 0;
            for (Map.Entry<String, Integer> e : wordCounts.entrySet()) {
                String word = e.getKey();
                int[] symbols = new int[word.length()];
                for (int i = 0; i < word.length(); i++) {
                    symbols[i] = ids.get(String.valueOf(word.charAt(i)));
                }
                words[w] = symbols;
                freq[w] = e.getValue();
                addPairs(w, symbols, 1);
                w++;
            }
            for (Map.Entry<Long, Long> e : pairCounts.entrySet()) {
                heap.add(new Candidate(e.getValue(), left(e.getKey()), right(e.getKey())));
            }
        }

        List<String[]> run(int vocabSize) {
            List<String[]> merges = new ArrayList<>();
            while (vocab.size() < vocabSize) {
                Candidate best = heap.poll();
                if (best == null || best.count < minFrequency) {
                    break;
                }
                long key = key(best.left, best.right);
                Long current = pairCounts.get(key);
                if (current == null || current != best.count) {
                    continue; // stale heap entry
                }
                String merged = vocab.get(best.left) + vocab.get(best.right);
                Integer id = ids.get(merged);
                if (id == null) {
                    id = vocab.size();
                    vocab.add(merged);
                    ids.put(merged, id);
                }
                merges.add(new String[] {vocab.get(best.left), vocab.get(best.right)});
                apply(best.left, best.right, id);
            }
            return merges;
        }

        private void apply(int a, int b, int merged) {
            Set<Integer> touched = where.remove(key(a, b));
            if (touched == null) {
                touched = Set.of();
            }
            Set<Long> changed = new HashSet<>();
            for (int w : touched) {
                int[] old = words[w];
                int[] next = mergeWord(old, a, b, merged);
                if (next == old) {
                    continue;
                }
                addPairs(w, old, -1, changed);
                addPairs(w, next, 1, changed);
                words[w] = next;
            }
            pairCounts.remove(key(a, b));
            changed.remove(key(a, b));
            for (long k : changed) {
                Long c = pairCounts.get(k);
                if (c != null && c > 0) {
                    heap.add(new Candidate(c, left(k), right(k)));
                }
            }
        }

        private static int[] mergeWord(int[] s, int a, int b, int merged) {
            int n = 0;
            int[] out = null;
            for (int i = 0; i < s.length; i++) {
                if (i + 1 < s.length && s[i] == a && s[i + 1] == b) {
                    if (out == null) {
                        out = new int[s.length - 1];
                        System.arraycopy(s, 0, out, 0, i);
                        n = i;
                    }
                    out[n++] = merged;
                    i++;
                } else if (out != null) {
                    out[n++] = s[i];
                }
            }
            return out == null ? s : java.util.Arrays.copyOf(out, n);
        }

        private void addPairs(int w, int[] symbols, int sign) {
            addPairs(w, symbols, sign, null);
        }

        private void addPairs(int w, int[] symbols, int sign, Set<Long> changed) {
            for (int i = 0; i + 1 < symbols.length; i++) {
                long k = key(symbols[i], symbols[i + 1]);
                long c = pairCounts.getOrDefault(k, 0L) + (long) sign * freq[w];
                if (c <= 0) {
                    pairCounts.remove(k);
                } else {
                    pairCounts.put(k, c);
                }
                if (sign > 0) {
                    where.computeIfAbsent(k, x -> new HashSet<>()).add(w);
                }
                if (changed != null) {
                    changed.add(k);
                }
            }
        }

        private static long key(int a, int b) {
            return ((long) a << 32) | (b & 0xFFFFFFFFL);
        }

        private static int left(long k) {
            return (int) (k >>> 32);
        }

        private static int right(long k) {
            return (int) k;
        }
    }
}
