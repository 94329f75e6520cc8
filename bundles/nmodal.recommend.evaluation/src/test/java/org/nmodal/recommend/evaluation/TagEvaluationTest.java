package org.nmodal.recommend.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nmodal.api.recommend.RecommendSpec;
import org.nmodal.recommend.RecommendSettings;

class TagEvaluationTest {
    /**
     * Posts around 12 prototypes, each carrying two tags of its own; two modalities each see the prototype through
     * heavy noise of their own, so each alone often puts a wrong tag first. Averaging the two single-modality
     * mappings' scores (the late row) cancels part of the two noises.
     */
    @Test
    void lateFusionOfTwoNoisyViewsBeatsEitherView() {
        Random r = new Random(17);
        int prototypes = 12;
        int n = 1200;
        int in = 10;
        float[][][] centre = new float[2][prototypes][in];
        for (float[][] view : centre) {
            for (float[] c : view) {
                for (int j = 0; j < in; j++) {
                    c[j] = (float) r.nextGaussian();
                }
            }
        }
        float[][] a = new float[n][in];
        float[][] b = new float[n][in];
        List<List<String>> tags = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = i % prototypes;
            for (int j = 0; j < in; j++) {
                a[i][j] = centre[0][c][j] + (float) (1.2 * r.nextGaussian());
                b[i][j] = centre[1][c][j] + (float) (1.2 * r.nextGaussian());
            }
            tags.add(List.of("t" + c, "u" + c));
        }
        RecommendSpec spec = RecommendSettings.read(JsonParser.parseString("{\"width\": 16, \"epochs\": 20, "
                + "\"hidden\": 32, \"mappingEpochs\": 30, \"features\": [\"raw\"], \"context\": 0, \"tuneTags\": 0, "
                + "\"mappingLr\": 0.01, \"k\": [1, 2]}"), "t.json");
        TagEvaluation.Result result = TagEvaluation.run(Engine.getEngine("PyTorch"), spec, List.of("a", "b"),
                Map.of("a", a, "b", b), null, tags, IntStream.range(0, 800).toArray(),
                IntStream.range(800, 900).toArray(), IntStream.range(900, n).toArray(), 3, line -> { });
        double pa = p1(result, TagEvaluation.MAPPING, List.of("a"));
        double pb = p1(result, TagEvaluation.MAPPING, List.of("b"));
        double late = p1(result, TagEvaluation.MAPPING_LATE, List.of("a", "b"));
        assertEquals(0, result.rows().stream().filter(row -> row.method().equals(TagEvaluation.MAPPING_LATE)
                && row.modalities().size() == 1).count(), "no late row for a single modality");
        // stated bar: late fusion puts an own tag first at least 10 points more often than the better single view
        assertTrue(late >= Math.max(pa, pb) + 0.1, "late P@1 " + late + ", a " + pa + ", b " + pb);
    }

    private static double p1(TagEvaluation.Result result, String method, List<String> modalities) {
        return result.rows().stream().filter(row -> row.method().equals(method) && row.modalities().equals(modalities))
                .findFirst().orElseThrow().atK()[0].precision();
    }
}
