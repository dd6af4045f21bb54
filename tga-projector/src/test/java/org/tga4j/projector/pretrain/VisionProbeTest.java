package org.tga4j.projector.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The probe's regression reads a class that the features carry, and not one they do not. */
class VisionProbeTest {
    @Test
    void separatesClassesTheFeaturesEncodeAndNotOthers() {
        Random r = new Random(3);
        int n = 600, d = 16, k = 5;
        float[][] x = new float[n][d];
        int[] y = new int[n], noise = new int[n];
        boolean[] train = new boolean[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
            noise[i] = r.nextInt(k);
            train[i] = i < 400;
            for (int j = 0; j < d; j++) x[i][j] = (float) (r.nextGaussian() + (j == y[i] ? 3 : 0) + 50); // offset: standardised away
        }
        assertTrue(VisionProbe.accuracy(x, y, train) > 0.9, "a class each feature direction encodes");
        double chance = VisionProbe.accuracy(x, noise, train);
        assertTrue(chance < 0.35, "labels the features do not carry stay near chance (0.2): " + chance);
        assertEquals(Double.NaN, VisionProbe.accuracy(x, y, new boolean[n]), "no training rows: undefined");
    }
}
