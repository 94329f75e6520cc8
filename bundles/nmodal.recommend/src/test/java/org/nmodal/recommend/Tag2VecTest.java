package org.nmodal.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Tag2VecTest {
    /**
     * Twelve tags in four groups of three; each post carries two or three tags of one group, plus now and then one
     * of four noise tags. Tags of one group always share posts, tags of different groups never do.
     */
    private static List<int[]> corpus(long seed) {
        Random r = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (int p = 0; p < 600; p++) {
            int g = r.nextInt(4);
            List<Integer> tags = new ArrayList<>(List.of(3 * g, 3 * g + 1, 3 * g + 2));
            if (r.nextBoolean()) {
                tags.remove(r.nextInt(3));
            }
            if (r.nextInt(4) == 0) {
                tags.add(12 + r.nextInt(4));
            }
            out.add(tags.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    private static int[] counts(List<int[]> sentences) {
        int[] c = new int[16];
        sentences.forEach(s -> {
            for (int t : s) {
                c[t]++;
            }
        });
        return c;
    }

    @Test
    void tagsThatShareEveryPostAreNearerThanTagsThatShareNone() {
        List<int[]> s = corpus(1);
        float[][] v = Tag2Vec.train(s, counts(s), new Tag2Vec.Settings(16, 20, 5, 0.025, 7));
        double within = 0;
        double across = 0;
        int nw = 0;
        int na = 0;
        for (int a = 0; a < 12; a++) {
            for (int b = a + 1; b < 12; b++) {
                double c = Vectors.dot(v[a], v[b]);
                if (a / 3 == b / 3) {
                    within += c;
                    nw++;
                } else {
                    across += c;
                    na++;
                }
            }
        }
        within /= nw;
        across /= na;
        // stated bar: same-group tags clearly similar, different groups not
        assertTrue(within > 0.7, "mean cosine within groups " + within);
        assertTrue(across < 0.3, "mean cosine across groups " + across);
        for (int a = 0; a < 12; a++) {
            double worstWithin = Double.MAX_VALUE;
            double bestAcross = -Double.MAX_VALUE;
            for (int b = 0; b < 12; b++) {
                if (b == a) {
                    continue;
                }
                double c = Vectors.dot(v[a], v[b]);
                if (a / 3 == b / 3) {
                    worstWithin = Math.min(worstWithin, c);
                } else {
                    bestAcross = Math.max(bestAcross, c);
                }
            }
            assertTrue(worstWithin > bestAcross, "tag " + a + ": " + worstWithin + " vs " + bestAcross);
        }
    }

    @Test
    void theSameSeedGivesTheSameVectors() {
        List<int[]> s = corpus(2);
        Tag2Vec.Settings settings = new Tag2Vec.Settings(8, 3, 3, 0.025, 11);
        float[][] a = Tag2Vec.train(s, counts(s), settings);
        float[][] b = Tag2Vec.train(s, counts(s), settings);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
        }
    }
}
