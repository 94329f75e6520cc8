package org.nmodal.recommend.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nmodal.recommend.Vectors;

class RankingTest {
    @Test
    void precisionRecallAndHitAgainstHandComputedValues() {
        // post 0: truth {1, 2}, ranked 1 5 2 ; post 1: truth {7}, ranked 3 4 5 ; post 2: no truth, not counted
        List<int[]> ranked = List.of(new int[] {1, 5, 2}, new int[] {3, 4, 5}, new int[] {9, 8, 7});
        List<int[]> truth = List.of(new int[] {1, 2}, new int[] {7}, new int[0]);
        Ranking.AtK[] s = Ranking.score(ranked, truth, List.of(1, 2, 3));
        // K=1: post 0 finds 1 (P 1, R 1/2, hit 1), post 1 nothing
        assertEquals(0.5, s[0].precision(), 1e-12);
        assertEquals(0.25, s[0].recall(), 1e-12);
        assertEquals(0.5, s[0].hit(), 1e-12);
        // K=2: post 0 P 1/2 R 1/2
        assertEquals(0.25, s[1].precision(), 1e-12);
        assertEquals(0.25, s[1].recall(), 1e-12);
        // K=3: post 0 P 2/3 R 1
        assertEquals(1 / 3.0, s[2].precision(), 1e-12);
        assertEquals(0.5, s[2].recall(), 1e-12);
        assertEquals(0.5, s[2].hit(), 1e-12);
        assertEquals(2, s[2].posts());
    }

    @Test
    void aShortListCountsItsMissingPlacesAsMisses() {
        Ranking.AtK[] s = Ranking.score(List.of(new int[] {4}), List.of(new int[] {4, 6}), List.of(5));
        assertEquals(0.2, s[0].precision(), 1e-12);
        assertEquals(0.5, s[0].recall(), 1e-12);
    }

    @Test
    void topKeepsTheLargestScoresBestFirst() {
        assertArrayEquals(new int[] {3, 0, 2}, Vectors.top(new double[] {0.5, 0.1, 0.4, 0.9, 0.2}, 3));
        assertArrayEquals(new int[] {1, 0}, Vectors.top(new double[] {1, 2}, 5));
    }
}
