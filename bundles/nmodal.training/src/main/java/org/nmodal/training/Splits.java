package org.nmodal.training;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/** Train/dev/test rows: the seeded hold-out when a data set has no dev split, and the fitting rows. */
public final class Splits {
    private Splits() {}

    /**
     * Train and dev rows: as given, or, when there is no dev row, a seeded 10 % of the training rows held out for
     * early stopping.
     *
     * @return {@code {train, dev}}, each sorted
     */
    public static int[][] trainAndDev(int[] train, int[] dev, long seed) {
        return dev.length > 0 ? new int[][] {train, dev} : holdOut(train, 0.1, seed);
    }

    /** A seeded share of the rows (at least one) held out; {@code {kept, held}}, each sorted. */
    public static int[][] holdOut(int[] rows, double share, long seed) {
        int[] a = rows.clone();
        Random r = new Random(seed ^ 0x5deece66dL);
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        int n = Math.max(1, (int) Math.round(a.length * share));
        int[] held = Arrays.copyOf(a, n);
        int[] kept = Arrays.copyOfRange(a, n, a.length);
        Arrays.sort(held);
        Arrays.sort(kept);
        return new int[][] {kept, held};
    }

    /**
     * The rows classifiers learn from: train and dev together (dev only chose the heads' stopping epoch; for
     * CMU-MOSI that is the papers' whole training set).
     */
    public static int[] fit(int[] train, int[] dev) {
        return IntStream.concat(Arrays.stream(train), Arrays.stream(dev)).sorted().toArray();
    }
}
