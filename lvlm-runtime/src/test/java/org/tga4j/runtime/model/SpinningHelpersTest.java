package org.tga4j.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SpinningHelpersTest {

    @Test
    void runsEveryPartOnceAndSeesTheirResults() throws Exception {
        SpinningHelpers helpers = new SpinningHelpers(2);
        for (int round = 0; round < 200; round++) {
            int[] hits = new int[3];
            assertTrue(helpers.run(3, t -> hits[t]++));
            assertArrayEquals(new int[] {1, 1, 1}, hits, "round " + round);
            if (round % 50 == 0) Thread.sleep(2); // past the spin: the helpers sleep and must be woken
        }
        assertFalse(helpers.run(4, t -> {}), "more parts than helpers + caller");
    }

    @Test
    void rethrowsAHelpersFailureOnTheCaller() {
        SpinningHelpers helpers = new SpinningHelpers(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> helpers.run(2, t -> {
            if (t == 1) throw new IllegalStateException("part " + t);
        }));
        assertEquals("part 1", e.getMessage());
        int[] hits = new int[2];
        assertTrue(helpers.run(2, t -> hits[t]++), "usable after a failure");
        assertArrayEquals(new int[] {1, 1}, hits);
    }

    @Test
    void aSecondCallerIsToldToRunAlone() throws Exception {
        SpinningHelpers helpers = new SpinningHelpers(1);
        CountDownLatch inside = new CountDownLatch(1), release = new CountDownLatch(1);
        AtomicBoolean secondRan = new AtomicBoolean(true);
        Thread first = new Thread(() -> helpers.run(2, t -> {
            if (t == 0) {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        first.start();
        inside.await();
        secondRan.set(helpers.run(2, t -> {}));
        release.countDown();
        first.join();
        assertFalse(secondRan.get());
    }
}
