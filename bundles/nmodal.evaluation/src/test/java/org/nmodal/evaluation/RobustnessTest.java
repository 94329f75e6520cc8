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
    void aCrossValidatedSectionKeepsEachFoldAndAveragesThem() {
        int[] train = {0, 1, 2, 3};
        String[] bad = {null, "b", null, "a"};
        List<com.google.gson.JsonObject> folds = List.of(
                Robustness.json(0.5, null, 7, bad, 2, train, List.of(new Evaluator.Retrieval("a", "b", "test", 4, 0.25,
                        0.5, 1)), new float[] {0.9f, 0.1f, 0.8f, 0.2f}),
                Robustness.json(0.5, null, 7, bad, 2, train, List.of(new Evaluator.Retrieval("a", "b", "test", 4, 0.75,
                        1, 1)), new float[] {0.9f, 0.95f, 0.8f, 0.2f}));
        com.google.gson.JsonObject o = Robustness.withFolds(Robustness.json(0.5, null, 7, null, 0, new int[0],
                List.of(new Evaluator.Retrieval("a", "b", "test", 8, 0.5, 0.75, 1)), null), List.of("x", "y"), folds);
        assertEquals(0.5, o.get("meanR1").getAsDouble(), 1e-9);
        assertEquals(8, o.get("trainingPosts").getAsInt());
        assertEquals(4, o.get("corruptedPosts").getAsInt());
        assertEquals((1.0 + 0.5) / 2, o.getAsJsonObject("weights").get("rocAuc").getAsDouble(), 1e-9);
        assertEquals("y", o.getAsJsonArray("folds").get(1).getAsJsonObject().get("fold").getAsString());
        assertEquals(0.75, o.getAsJsonArray("folds").get(1).getAsJsonObject().get("meanR1").getAsDouble(), 1e-9);
        String html = Robustness.html(o);
        assertTrue(html.contains("averaged over the 2 folds") && html.contains("ROC AUC clean vs corrupted 0.75")
                && !html.contains("<svg"), html);
        assertTrue(Robustness.html(folds.get(0)).contains("<svg"), "a fold's own section keeps its histogram");
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
