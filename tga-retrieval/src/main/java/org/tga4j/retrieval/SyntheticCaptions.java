package org.tga4j.retrieval;

import java.util.SplittableRandom;
import org.tga4j.datasets.CaptionRecord;

/**
 * Deterministic caption-like sentences (LAION/CC style: "a close-up photo of a small red bicycle parked next to a
 * wooden bench in a park at sunset") for benchmarks. Caption {@code i} of seed {@code s} is always the same,
 * whatever thread or order generates it.
 *
 * <p>Five caption shapes mimic the sources of LCS-558K: BLIP-style short descriptions, LAION product and art
 * titles, CC scene captions. Like real web captions, most carry "long-tail" words (brand, model and proper names)
 * drawn from a Zipf distribution (s=1.1) over a 50,000-word pseudo-word vocabulary, so term statistics have the
 * heavy tail of a real corpus rather than a few hundred words shared by every caption.
 */
public final class SyntheticCaptions {
    private static final String[] OBJECTS = {
        "dog", "cat", "horse", "bicycle", "car", "truck", "bus", "train", "boat", "airplane", "bird", "cow", "sheep",
        "elephant", "giraffe", "zebra", "bear", "umbrella", "backpack", "handbag", "suitcase", "kite", "skateboard",
        "surfboard", "bottle", "cup", "bowl", "banana", "apple", "sandwich", "orange", "broccoli", "carrot", "pizza",
        "donut", "cake", "chair", "couch", "bed", "table", "laptop", "phone", "keyboard", "book", "clock", "vase",
        "teddy bear", "lamp", "guitar", "piano", "violin", "camera", "watch", "necklace", "ring", "hat", "jacket",
        "dress", "shoe", "boot", "sofa", "mirror", "window", "door", "bridge", "tower", "castle", "church", "lighthouse",
        "tree", "flower", "rose", "tulip", "sunflower", "mountain", "lake", "river", "beach", "waterfall", "forest",
        "street", "building", "house", "cabin", "tent", "fountain", "statue", "painting", "poster", "sign", "map",
        "candle", "basket", "pillow", "blanket", "rug", "plate", "fork", "knife", "spoon", "teapot", "kettle",
        "motorcycle", "tractor", "helicopter", "rocket", "robot", "drone", "toy", "ball", "balloon", "flag", "fence",
        "bench", "tablecloth", "sculpture", "owl", "fox", "rabbit", "deer", "wolf", "lion", "tiger", "monkey",
        "penguin", "dolphin", "whale", "turtle", "frog", "butterfly", "bee", "spider"
    };
    private static final String[] COLORS = {
        "red", "blue", "green", "yellow", "black", "white", "brown", "gray", "pink", "purple", "orange", "golden",
        "silver", "beige", "navy", "turquoise"
    };
    private static final String[] SIZES = {"small", "large", "tiny", "huge", "old", "new", "vintage", "modern", "shiny", "rusty"};
    private static final String[] MATERIALS = {"wooden", "metal", "glass", "plastic", "stone", "marble", "leather", "ceramic", "concrete", "woven"};
    private static final String[] SURFACES = {
        "table", "floor", "shelf", "desk", "counter", "bench", "grass", "sand", "road", "carpet", "bed", "windowsill",
        "rock", "dock", "stage", "tray"
    };
    private static final String[] PLACES = {
        "a park", "the city", "a kitchen", "a living room", "a garden", "the beach", "a forest", "a street", "a museum",
        "a cafe", "an office", "a classroom", "a farm", "the mountains", "a market", "a studio", "a backyard",
        "a parking lot", "a train station", "an airport", "a harbor", "a desert", "a snowy field", "a library"
    };
    private static final String[] VERBS = {
        "sitting on", "standing next to", "lying on", "parked near", "placed on", "hanging above", "leaning against",
        "resting on", "displayed on", "floating over"
    };
    private static final String[] TIMES = {"at sunset", "at night", "in the morning", "on a rainy day", "in winter", "in autumn", "under a blue sky", "in soft light"};
    private static final String[] STYLES = {
        "a photo of", "a close-up photo of", "an illustration of", "a painting of", "a stock photo of", "a blurry photo of",
        "a black and white photo of", "a 3d render of", "a watercolor of", "a picture of"
    };

    private static final String[] SYLLABLES = {
        "ka", "lo", "mi", "ra", "ven", "to", "sa", "ri", "no", "del", "mar", "qui", "zo", "ber", "lan", "ti", "po",
        "shan", "gor", "el", "fa", "ny", "ux", "bra", "cor", "dan", "vel", "mo", "ise", "tra", "win", "ha", "ju", "kel"
    };
    private static final int VOCAB = 50_000;
    private static final String[] LONG_TAIL = new String[VOCAB];
    private static final double[] ZIPF_CDF = new double[VOCAB];

    static {
        SplittableRandom r = new SplittableRandom(0x5eed);
        java.util.Set<String> used = new java.util.HashSet<>();
        for (int i = 0; i < VOCAB; ) {
            int n = 2 + r.nextInt(3);
            StringBuilder w = new StringBuilder();
            for (int j = 0; j < n; j++) w.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
            if (used.add(w.toString())) LONG_TAIL[i++] = w.toString();
        }
        double sum = 0;
        for (int i = 0; i < VOCAB; i++) ZIPF_CDF[i] = sum += 1 / Math.pow(i + 1, 1.1);
        for (int i = 0; i < VOCAB; i++) ZIPF_CDF[i] /= sum;
    }

    private final long seed;

    public SyntheticCaptions(long seed) {
        this.seed = seed;
    }

    private static String longTail(SplittableRandom r) {
        int i = java.util.Arrays.binarySearch(ZIPF_CDF, r.nextDouble());
        return LONG_TAIL[Math.min(VOCAB - 1, i < 0 ? -i - 1 : i)];
    }

    /** Caption number {@code i} (id {@code "syn-" + i}). */
    public CaptionRecord caption(long i) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        String obj = pick(r, OBJECTS);
        StringBuilder sb = new StringBuilder(80);
        switch (r.nextInt(5)) {
            // BLIP-style short descriptions (LCS-558K)
            case 0 -> sb.append("a ").append(pick(r, COLORS)).append(' ').append(obj).append(' ').append(pick(r, VERBS))
                    .append(" a ").append(pick(r, MATERIALS)).append(' ').append(pick(r, SURFACES));
            case 1 -> sb.append(2 + r.nextInt(5)).append(' ').append(obj).append("s in ").append(pick(r, PLACES))
                    .append(' ').append(pick(r, TIMES));
            // LAION-style product titles: brand / model words from the long tail
            case 2 -> sb.append(longTail(r)).append(' ').append(longTail(r)).append(' ').append(pick(r, SIZES)).append(' ')
                    .append(pick(r, COLORS)).append(' ').append(obj).append(' ').append(longTail(r));
            // LAION-style art titles
            case 3 -> sb.append(pick(r, STYLES)).append(" a ").append(obj).append(" in ").append(pick(r, PLACES))
                    .append(" by ").append(longTail(r)).append(' ').append(longTail(r));
            // CC-style scene captions
            default -> sb.append("the ").append(obj).append(" and a ").append(pick(r, OBJECTS)).append(' ')
                    .append(pick(r, VERBS)).append(" the ").append(pick(r, SURFACES)).append(" near ").append(longTail(r));
        }
        return new CaptionRecord("syn-" + i, sb.toString());
    }

    private static String pick(SplittableRandom r, String[] words) {
        return words[r.nextInt(words.length)];
    }
}
