package org.tga4j.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tga4j.datasets.CaptionRecord;

/** A small deterministic world of object captions (like scene-graph captions), with the object class of each. */
final class ObjectWorld {
    record Item(CaptionRecord caption, String objectClass) {}

    private static final String[][] CLASSES = {
        {"knife", "blade", "handle", "sharp", "steel", "kitchen knife"},
        {"gun", "pistol", "barrel", "trigger", "handgun", "holster"},
        {"cigarette", "smoke", "ash", "lit", "tobacco", "ashtray"},
        {"bottle", "beer", "wine", "glass bottle", "label", "cork"},
        {"dog", "puppy", "fur", "tail", "leash", "paws"},
        {"cat", "kitten", "whiskers", "fur", "purring", "paws"},
        {"apple", "fruit", "stem", "juicy", "orchard", "slice"},
        {"car", "wheels", "windshield", "sedan", "headlights", "bumper"},
    };
    private static final String[] COLORS = {"red", "blue", "green", "black", "white", "yellow", "brown", "gray"};
    private static final String[] PLACES = {"on a table", "on the floor", "in a kitchen", "in a park", "on a shelf", "next to a window", "in a garage", "on the grass"};

    static List<Item> generate(long seed, int perClass) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Item> items = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < perClass; i++) {
            for (String[] cls : CLASSES) {
                String detail1 = cls[1 + r.nextInt(cls.length - 1)];
                String detail2 = cls[1 + r.nextInt(cls.length - 1)];
                String text = "a " + COLORS[r.nextInt(COLORS.length)] + " " + cls[0] + " with " + detail1 + " and " + detail2 + " "
                        + PLACES[r.nextInt(PLACES.length)] + ", " + COLORS[r.nextInt(COLORS.length)] + " background";
                items.add(new Item(new CaptionRecord("w" + n++, text), cls[0]));
            }
        }
        return items;
    }

    private ObjectWorld() {}
}
