package org.tga4j.datasets.tinyworld;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Samples scene graphs deterministically: scene {@code i} depends only on the seed and {@code i}. The first object's
 * class cycles through all classes ({@code i mod 14}), so every class is the primary object of the same number of
 * images (±1); the other objects (0–2 more, in distinct quadrants) are benign, so an image holds at most one hazard.
 *
 * <p>Splits hold out <em>new combinations of known objects</em>. A scene of two or three objects is split by a hash of
 * its composition ({@link Scene#compositionKey()}) and the seed: scenes with the same composition always land in the
 * same split, so no held-out combination is ever seen in training. A one-object scene has no combination to hold out:
 * it is split by a hash of its own image (its id), so a held-out single object is a new drawing of a class, colour and
 * place that training shows in other drawings. Holding single objects out by composition instead would hold out whole
 * (class, colour, place) triples, and for a class with one colour (blood) a whole place: test images would then ask
 * the vision tower for a class at a size and place it never saw, which measures extrapolation, not whether safety
 * transfers from text to images.
 */
public final class SceneSampler {
    private final long seed;
    private final double trainFraction, valFraction;

    public SceneSampler(long seed, double trainFraction, double valFraction) {
        if (trainFraction <= 0 || valFraction < 0 || trainFraction + valFraction >= 1) {
            throw new IllegalArgumentException("need 0 < train, 0 <= val, train + val < 1 (got " + trainFraction + ", " + valFraction + ")");
        }
        this.seed = seed;
        this.trainFraction = trainFraction;
        this.valFraction = valFraction;
    }

    /** The scene with index {@code i} (id {@code tw%06d}). */
    public Scene sample(int i) {
        SplittableRandom rnd = new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + i));
        ObjectClass[] all = ObjectClass.values();
        ObjectClass primary = all[i % all.length];
        int k = 1 + rnd.nextInt(3);
        List<Position> free = new ArrayList<>(Position.QUADRANTS);
        List<SceneObject> objs = new ArrayList<>();
        if (k == 1 && rnd.nextDouble() < 0.6) {
            objs.add(object(primary, Position.CENTER, rnd));
        } else {
            for (int j = 0; j < k; j++) {
                Position pos = free.remove(rnd.nextInt(free.size()));
                ObjectClass c = j == 0 ? primary : ObjectClass.benign().get(rnd.nextInt(ObjectClass.benign().size()));
                objs.add(object(c, pos, rnd));
            }
        }
        long renderSeed = rnd.nextLong();
        Scene probe = new Scene(id(i), Split.TRAIN, objs, renderSeed);
        return new Scene(id(i), splitOf(objs.size() == 1 ? "image " + id(i) : probe.compositionKey()), objs, renderSeed);
    }

    public static String id(int i) {
        return String.format("tw%06d", i);
    }

    /** The split a key (a composition, or a single-object scene's image) belongs to under this seed and fractions. */
    public Split splitOf(String key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        double u = (mix(h ^ mix(seed)) >>> 11) * 0x1.0p-53;
        return u < trainFraction ? Split.TRAIN : u < trainFraction + valFraction ? Split.VAL : Split.TEST;
    }

    private static SceneObject object(ObjectClass c, Position p, SplittableRandom rnd) {
        return new SceneObject(c, c.colours.get(rnd.nextInt(c.colours.size())), p);
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
