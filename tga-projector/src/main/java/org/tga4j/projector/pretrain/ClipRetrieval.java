package org.tga4j.projector.pretrain;

import java.util.List;

/**
 * Held-out image→text retrieval: each val image's caption is looked for among the captions of its group of val
 * pairs, ranked by cosine. A hit is counted when the caption ranked first (or within the first five) reads the same
 * as the image's own caption — two identical captions cannot be told apart, so either counts.
 *
 * @param pairs val pairs measured
 * @param groupSize candidates each image's caption is ranked among (the last group may be smaller)
 * @param top1 share of images whose own caption ranks first
 * @param top5 share of images whose own caption is among the first five
 * @param retrieved for each val pair, the index (into the val pairs) of the caption ranked first
 * @param captions the val captions, by index
 */
public record ClipRetrieval(int pairs, int groupSize, double top1, double top5, int[] retrieved, List<String> captions) {
    /** Chance level of top-1 (one right caption among the group), for comparison. */
    public double chanceTop1() {
        return groupSize == 0 ? 0 : 1.0 / groupSize;
    }

    @Override
    public String toString() {
        return String.format("image->text top-1 %.1f%%, top-5 %.1f%% over %d val pairs in groups of %d (chance %.1f%%)",
                100 * top1, 100 * top5, pairs, groupSize, 100 * chanceTop1());
    }
}
