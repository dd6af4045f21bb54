package org.tga4j.retrieval;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SeenIdsTest {
    @Test
    void anIdIsNewOnceAndTheTableGrowsWithoutForgetting() {
        SeenIds seen = new SeenIds();
        for (int i = 0; i < 100_000; i++) assertTrue(seen.add("syn-" + i), "syn-" + i + " is new");
        for (int i = 0; i < 100_000; i += 997) assertFalse(seen.add("syn-" + i), "syn-" + i + " was added before");
        assertTrue(seen.add("syn-100000"));
        assertTrue(seen.add(""));
        assertFalse(seen.add(""));
    }

    @Test
    void hashesSpreadNearbyIds() {
        java.util.Set<Long> low = new java.util.HashSet<>();
        for (int i = 0; i < 4096; i++) low.add(SeenIds.hash("id-" + i) & 0xFFF);
        assertTrue(low.size() > 2000, "4096 consecutive ids fill " + low.size() + " of 4096 low-bit buckets");
    }
}
