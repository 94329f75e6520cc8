package org.nmodal.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RobustnessTest {
    @Test
    void aucIsTheChanceThatACleanPostWeighsMore() {
        float[] w = {0.9f, 0.8f, 0.1f, 0.2f, 0.5f, Float.NaN};
        String[] bad = {null, null, "image", "image", null, "image"};
        int[] train = {0, 1, 2, 3, 4, 5};
        assertEquals(1.0, Robustness.auc(w, bad, train), 1e-9);
        w[4] = 0.15f; // now above one corrupted post and below the other
        assertEquals(5.0 / 6, Robustness.auc(w, bad, train), 1e-9);
        w[4] = 0.2f; // a tie counts half
        assertEquals(5.5 / 6, Robustness.auc(w, bad, train), 1e-9);
        assertTrue(Double.isNaN(Robustness.auc(w, new String[6], train)));
    }

    @Test
    void meanRecallLeavesOutTheAllOthersRows() {
        List<Evaluator.Retrieval> r = List.of(new Evaluator.Retrieval("a", "b", "test", 10, 0.2, 0.4, 0.6),
                new Evaluator.Retrieval("b", "a", "test", 10, 0.4, 0.6, 0.8),
                new Evaluator.Retrieval("a", "*", "test", 10, 1, 1, 1));
        double[] m = Robustness.meanRecall(r);
        assertEquals(0.3, m[0], 1e-9);
        assertEquals(0.7, m[2], 1e-9);
    }

    @Test
    void labelFractionsAreStratifiedSeededAndKeepEveryClass() {
        int[] y = new int[200];
        for (int i = 0; i < 200; i++) {
            y[i] = i < 150 ? 0 : 1;
        }
        int[] pick = LabelEfficiency.stratified(y, 2, 0.1, 7);
        assertEquals(20, pick.length);
        assertEquals(15, java.util.Arrays.stream(pick).filter(i -> y[i] == 0).count());
        assertArrayEquals(pick, LabelEfficiency.stratified(y, 2, 0.1, 7));
        int[] tiny = LabelEfficiency.stratified(y, 2, 0.001, 7);
        assertEquals(2, tiny.length, "at least one post of each class");
    }
}
