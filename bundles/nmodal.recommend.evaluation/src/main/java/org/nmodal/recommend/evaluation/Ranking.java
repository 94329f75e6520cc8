package org.nmodal.recommend.evaluation;

import java.util.List;

/**
 * Precision, recall and hit rate at K of ranked tag lists, averaged over posts: for a post with true tags T and
 * top-K list L, {@code P@K = |L ∩ T| / K}, {@code R@K = |L ∩ T| / |T|} and {@code hit@K = 1} when {@code L ∩ T} is not
 * empty. Posts without a true tag are not counted.
 */
public final class Ranking {
    private Ranking() {}

    /** The mean P@K, R@K and hit@K at one cut-off, over {@code posts} posts. */
    public record AtK(int k, double precision, double recall, double hit, int posts) {}

    /** Scores every cut-off; {@code ranked.get(i)} is post i's list (best first), {@code truth.get(i)} its tags. */
    public static AtK[] score(List<int[]> ranked, List<int[]> truth, List<Integer> ks) {
        AtK[] out = new AtK[ks.size()];
        for (int c = 0; c < ks.size(); c++) {
            int k = ks.get(c);
            double p = 0;
            double r = 0;
            double h = 0;
            int n = 0;
            for (int i = 0; i < ranked.size(); i++) {
                int[] t = truth.get(i);
                if (t.length == 0) {
                    continue;
                }
                int[] list = ranked.get(i);
                int found = 0;
                for (int j = 0; j < Math.min(k, list.length); j++) {
                    for (int x : t) {
                        if (x == list[j]) {
                            found++;
                            break;
                        }
                    }
                }
                p += found / (double) k;
                r += found / (double) t.length;
                h += found > 0 ? 1 : 0;
                n++;
            }
            out[c] = new AtK(k, n == 0 ? 0 : p / n, n == 0 ? 0 : r / n, n == 0 ? 0 : h / n, n);
        }
        return out;
    }
}
