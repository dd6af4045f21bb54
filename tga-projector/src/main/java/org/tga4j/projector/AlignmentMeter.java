package org.tga4j.projector;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.tga4j.runtime.image.ClipImageProcessor;
import org.tga4j.runtime.model.DecoderOutput;
import org.tga4j.runtime.model.LlavaModel;

/**
 * Measures, without training, how close image and caption hidden states are: the mean {@code s_ic = cos(h_img,
 * h_cap)} per band layer over a set of aligned examples, and the mean LM loss — the numbers that tell a TGA projector
 * from a baseline one.
 */
public final class AlignmentMeter {
    private AlignmentMeter() {}

    /** Mean {@code s_ic} per band layer and mean LM loss (last entry) over {@code examples}, in batches of 8. */
    public static double[] measure(TrainingModel model, List<TrainingExample> examples, LayerBand band,
            ClipImageProcessor images, int padId) {
        TrainStep step = new TrainStep(model, new TgaLoss(band, 0, 0, true), images);
        double[] sum = new double[band.size() + 1];
        int batches = 0;
        LlavaModel lm = model.model();
        for (int i = 0; i < examples.size(); i += 8) {
            Batch b = Batch.of(examples.subList(i, Math.min(examples.size(), i + 8)), padId);
            if (b.alignedRows().length == 0) throw new IllegalArgumentException("examples carry no caption sequences");
            try (NDManager m = model.weights().newSubManager()) {
                var features = lm.visionFeatures(images.preprocessBatch(b.images(), m));
                DecoderOutput out = lm.forward(m, b.ids(), b.valid(), lm.projector().forward(features), null,
                        DecoderOutput.Logits.NONE, true);
                TgaLoss.Terms t = step.loss().compute(m, lm.decoder(), out.hiddenStates(), b, step.captionMeans(m, b), 0);
                for (int l = 0; l < band.size(); l++) sum[l] += t.sIc()[l];
                sum[band.size()] += t.lm().toType(DataType.FLOAT32, false).getFloat();
                batches++;
            }
        }
        for (int l = 0; l < sum.length; l++) sum[l] /= batches;
        return sum;
    }
}
