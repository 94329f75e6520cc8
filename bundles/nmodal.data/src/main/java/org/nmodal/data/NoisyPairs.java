package org.nmodal.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Misaligned pairs on purpose, the standard way to measure robustness to them: for a seeded fraction of the training
 * posts, one modality's input is replaced by another training post's. Only training posts change; dev and test stay
 * clean, so early stopping, the meta set and the scores see true pairs.
 */
public final class NoisyPairs {
    private NoisyPairs() {}

    /**
     * The corrupted features and what was done.
     *
     * @param features every modality's rows, the corrupted ones replaced (the other rows are the same arrays)
     * @param modalityOf per row, the modality that was replaced, or null for a clean row
     * @param corrupted how many posts were corrupted
     */
    public record Corruption(Map<String, float[][]> features, String[] modalityOf, int corrupted) {
        /** One line for the run's log. */
        public String summary(int trainingPosts) {
            java.util.Set<String> which = new java.util.TreeSet<>();
            for (String m : modalityOf) {
                if (m != null) {
                    which.add(m);
                }
            }
            return "noisy pairs: " + corrupted + " of " + trainingPosts + " training posts got another training post's "
                    + String.join(" or ", which) + " input";
        }

        /** Whether row {@code i} was corrupted. */
        public boolean corrupted(int i) {
            return modalityOf[i] != null;
        }
    }

    /**
     * The inputs of heads trained on {@code train}: {@link #corrupt} (no post when {@code fraction} is 0), then each
     * modality standardised on the training rows, as if the data had come that way.
     *
     * @since 1.5
     */
    public static Corruption standardised(Map<String, float[][]> features, List<String> modalities, int[] train,
            double fraction, String modality, long seed) {
        Corruption c = corrupt(features, modalities, train, fraction, modality, seed);
        Map<String, float[][]> out = new LinkedHashMap<>();
        c.features().forEach((m, x) -> out.put(m, Arrays.stream(x).allMatch(java.util.Objects::isNull) ? x
                : org.nmodal.api.data.Standardizer.fit(x, train).apply(x)));
        return new Corruption(out, c.modalityOf(), c.corrupted());
    }

    /**
     * Corrupts {@code round(fraction × train)} training posts that have at least two modalities.
     *
     * @param modality the modality to replace, or null for one drawn per post among those it has
     */
    public static Corruption corrupt(Map<String, float[][]> features, List<String> modalities, int[] train,
            double fraction, String modality, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("noisyPairs must be between 0 and 1, got " + fraction);
        }
        if (modality != null && !modalities.contains(modality)) {
            throw new IllegalArgumentException("noisyModality '" + modality + "' is not one of " + modalities);
        }
        int n = features.get(modalities.get(0)).length;
        Map<String, float[][]> out = new LinkedHashMap<>();
        features.forEach((m, x) -> out.put(m, x.clone()));
        String[] which = new String[n];
        Random r = new Random(seed * 1_000_003L + 41);
        int[] order = train.clone();
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int target = (int) Math.round(fraction * train.length);
        int done = 0;
        for (int k = 0; k < order.length && done < target; k++) {
            int row = order[k];
            List<String> has = new ArrayList<>();
            for (String m : modalities) {
                if (features.get(m)[row] != null) {
                    has.add(m);
                }
            }
            if (has.size() < 2) {
                continue; // a post with one modality has no pair to break
            }
            String m = modality != null ? modality : has.get(r.nextInt(has.size()));
            if (features.get(m)[row] == null) {
                continue;
            }
            int donor = -1;
            for (int tries = 0; tries < 20 && donor < 0; tries++) {
                int d = train[r.nextInt(train.length)];
                if (d != row && features.get(m)[d] != null && !Arrays.equals(features.get(m)[d], features.get(m)[row])) {
                    donor = d;
                }
            }
            if (donor < 0) {
                continue;
            }
            out.get(m)[row] = features.get(m)[donor];
            which[row] = m;
            done++;
        }
        return new Corruption(out, which, done);
    }
}
