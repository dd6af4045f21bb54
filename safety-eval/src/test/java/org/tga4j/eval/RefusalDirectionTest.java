package org.tga4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tga4j.eval.probe.RefusalDirection;

class RefusalDirectionTest {
    @Test
    void handComputedDirectionAndProjection() {
        // toxic mean (3, 0), benign mean (0, 1): direction (3, -1) / sqrt(10)
        double[] d = RefusalDirection.unit(List.of(new float[] {2, 0}, new float[] {4, 0}),
                List.of(new float[] {0, 0}, new float[] {0, 2}));
        assertEquals(3 / Math.sqrt(10), d[0], 1e-9);
        assertEquals(-1 / Math.sqrt(10), d[1], 1e-9);
        assertEquals(2 / Math.sqrt(10), RefusalDirection.project(new float[] {1, 1}, d), 1e-9);
        // toxic states project above benign ones
        assertTrue(RefusalDirection.project(new float[] {3, 0}, d) > RefusalDirection.project(new float[] {0, 1}, d));
        double[] zero = RefusalDirection.unit(List.of(new float[] {1, 1}), List.of(new float[] {1, 1}));
        assertArrayEquals(new double[] {0, 0}, zero);
        assertThrows(IllegalArgumentException.class, () -> RefusalDirection.project(new float[3], d));
    }
}
