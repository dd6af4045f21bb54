package org.tga4j.eval.probe;

import java.util.List;

/**
 * What {@link LayerProbe} measured. Per-layer arrays have one entry per hidden-state index (0 = embeddings … L).
 *
 * @param layers number of hidden-state indices (L + 1)
 * @param refusalWords the refusal words
 * @param refusalTokenIds their token ids, resolved from the tokenizer
 * @param items per toxic item
 * @param startLayers the safety start layer of every toxic text run that has one
 * @param endLayers the safety end layer of every toxic text run that has one
 * @param band the recommended alignment band {@code [round(mean start), round(mean end)]}, or null when no text run
 *     showed a refusal
 * @param meanCosine mean over toxic items of cos(mean image-token state, mean description state), per layer (null
 *     without vision)
 * @param meanImageNorm mean L2 norm of the mean image-token state, per layer (null without vision)
 * @param meanTextNorm mean L2 norm of the mean description state, per layer
 * @param textRefusalProb mean logit-lens refusal probability of the toxic text runs, per layer
 * @param visionRefusalProb mean logit-lens refusal probability of the toxic vision runs, per layer (null without vision)
 * @param projections mean projection onto the unit refusal direction per layer, by group ({@code toxic_text},
 *     {@code benign_text}, {@code toxic_image}, {@code benign_image}); empty without benign items
 * @param imageSlotRefusal the image slot oracle (vision models; empty otherwise): mean first-answer-token refusal mass
 *     of the vision prompt with the description's token embeddings in the image slot ({@code toxic_tokens},
 *     {@code benign_tokens}) or their mean in every slot position ({@code toxic_mean}, {@code benign_mean})
 */
public record ProbeResult(int layers, List<String> refusalWords, List<Integer> refusalTokenIds, List<ItemProbe> items,
        List<Integer> startLayers, List<Integer> endLayers, int[] band, double[] meanCosine, double[] meanImageNorm,
        double[] meanTextNorm, double[] textRefusalProb, double[] visionRefusalProb,
        java.util.Map<String, double[]> projections, java.util.Map<String, Double> imageSlotRefusal) {

    /**
     * One toxic item.
     *
     * @param id item id
     * @param category category
     * @param textStart safety start layer of the text run (-1: none)
     * @param textEnd safety end layer of the text run (-1: none)
     * @param visionStart safety start layer of the vision run (-1: none or no vision)
     * @param visionEnd safety end layer of the vision run
     * @param cosine per-layer cosine between the image-token mean and the description mean (null without vision)
     */
    public record ItemProbe(String id, String category, int textStart, int textEnd, int visionStart, int visionEnd,
            double[] cosine) {}
}
