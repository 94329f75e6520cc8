package org.nmodal.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VectorsTest {
    @Test
    void theMeanCountsOnlyTheRowsThatAreThere() {
        double[] a = {0.9, 0.1, 0.3};
        double[] b = {0.1, 0.5, 0.3};
        assertArrayEquals(new double[] {0.5, 0.3, 0.3}, Vectors.mean(List.of(a, b), 3), 1e-12);
        // a post without its second modality: the first's scores alone, not halved
        assertArrayEquals(a, Vectors.mean(Arrays.asList(a, null), 3), 1e-12);
        assertArrayEquals(new double[3], Vectors.mean(Arrays.asList(null, null), 3), 1e-12);
    }
}
