package org.nmodal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NoisyPairsTest {
    private static Map<String, float[][]> rows(int n) {
        Map<String, float[][]> x = new LinkedHashMap<>();
        for (String m : List.of("text", "image")) {
            float[][] v = new float[n][];
            for (int i = 0; i < n; i++) {
                v[i] = new float[] {i, m.length()};
            }
            x.put(m, v);
        }
        return x;
    }

    @Test
    void aSeededFractionOfTrainingPostsGetsAnotherTrainingPostsInput() {
        Map<String, float[][]> x = rows(100);
        int[] train = IntStream.range(0, 60).toArray();
        NoisyPairs.Corruption c = NoisyPairs.corrupt(x, List.of("text", "image"), train, 0.3, "image", 5);
        assertEquals(18, c.corrupted());
        int seen = 0;
        for (int i = 0; i < 100; i++) {
            if (c.corrupted(i)) {
                seen++;
                assertTrue(i < 60, "only training posts");
                assertEquals("image", c.modalityOf()[i]);
                float donor = c.features().get("image")[i][0];
                assertTrue(donor != i && donor < 60, "another training post's image");
                assertSame(x.get("text")[i], c.features().get("text")[i], "the other modality stays");
            } else {
                assertSame(x.get("image")[i], c.features().get("image")[i]);
                assertNull(c.modalityOf()[i]);
            }
        }
        assertEquals(18, seen);
        assertEquals(i(0), x.get("image")[0][0], "the input is not changed");
        NoisyPairs.Corruption again = NoisyPairs.corrupt(x, List.of("text", "image"), train, 0.3, "image", 5);
        assertArrayEquals(c.modalityOf(), again.modalityOf(), "seeded");
        assertEquals(0, NoisyPairs.corrupt(x, List.of("text", "image"), train, 0, null, 5).corrupted());
        assertThrows(IllegalArgumentException.class,
                () -> NoisyPairs.corrupt(x, List.of("text", "image"), train, 1.5, null, 5));
    }

    private static float i(int v) {
        return v;
    }

    @Test
    void theInputsAreStandardisedOnTheTrainingRowsAndCleanWithoutNoise() {
        Map<String, float[][]> x = rows(100);
        x.put("video", new float[100][]);
        int[] train = IntStream.range(0, 60).toArray();
        NoisyPairs.Corruption clean = NoisyPairs.standardised(x, List.of("text", "image", "video"), train, 0, null, 5);
        assertEquals(0, clean.corrupted());
        double mean = IntStream.range(0, 60).mapToDouble(i -> clean.features().get("text")[i][0]).average().orElse(9);
        assertEquals(0, mean, 1e-5, "standardised on the training rows");
        assertTrue(clean.features().get("text")[99][0] > 1, "a later row keeps its distance");
        assertTrue(java.util.Arrays.stream(clean.features().get("video")).allMatch(java.util.Objects::isNull),
                "a modality no post has is left empty");
        NoisyPairs.Corruption noisy = NoisyPairs.standardised(x, List.of("text", "image", "video"), train, 0.3,
                "text", 5);
        assertEquals(18, noisy.corrupted());
        assertArrayEquals(NoisyPairs.corrupt(x, List.of("text", "image", "video"), train, 0.3, "text", 5).modalityOf(),
                noisy.modalityOf(), "the same posts as corrupt() with the same seed");
    }
}
