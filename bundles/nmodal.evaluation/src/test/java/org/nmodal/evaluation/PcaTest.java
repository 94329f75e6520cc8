package org.nmodal.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The drawing coordinates span exactly the box asked for. */
class PcaTest {
    @Test
    void theProjectionFillsTheBox() {
        Random r = new Random(3);
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(new float[] {(float) r.nextGaussian() * 5, (float) r.nextGaussian(), (float) r.nextGaussian()});
        }
        double[][] xy = Pca.project2(rows, 20, 10, 500, 300);
        double[] min = {Double.MAX_VALUE, Double.MAX_VALUE};
        double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE};
        for (double[] p : xy) {
            for (int a = 0; a < 2; a++) {
                min[a] = Math.min(min[a], p[a]);
                max[a] = Math.max(max[a], p[a]);
            }
        }
        assertEquals(20, min[0], 1e-9);
        assertEquals(520, max[0], 1e-9);
        assertEquals(10, min[1], 1e-9);
        assertEquals(310, max[1], 1e-9);
    }
}
