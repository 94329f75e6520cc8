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

    /**
     * One fold of a cross-validation: the posts of fold {@code index} are tested, those of the next fold (cyclically)
     * choose the heads' stopping epoch, the rest train.
     *
     * @param index position of the fold in {@link #crossValidation}'s order
     * @param value the fold's value in the data (for example {@code "3"})
     * @param train training rows, sorted
     * @param dev early-stopping rows (the next fold), sorted
     * @param test test rows (this fold), sorted
     */
    public record Fold(int index, String value, int[] train, int[] dev, int[] test) {}

    /**
     * The folds of a cross-validation over a per-post fold value ({@code null} or blank: the post takes no part):
     * fold k tests the posts whose value is the k-th, holds out the (k+1)-th (mod K) for early stopping, and trains
     * on the others. Values are ordered as numbers when all are integers, else as text. Every post with a value is
     * tested exactly once.
     *
     * @throws IllegalArgumentException for fewer than three distinct values (train, dev and test need one each)
     */
    public static java.util.List<Fold> crossValidation(String[] foldOfPost) {
        java.util.Map<String, java.util.List<Integer>> byValue = new java.util.TreeMap<>(foldOrder(foldOfPost));
        for (int i = 0; i < foldOfPost.length; i++) {
            String v = foldOfPost[i] == null ? "" : foldOfPost[i].trim();
            if (!v.isEmpty()) {
                byValue.computeIfAbsent(v, k -> new java.util.ArrayList<>()).add(i);
            }
        }
        if (byValue.size() < 3) {
            throw new IllegalArgumentException("cross-validation needs at least 3 folds (test, dev and train each take "
                    + "one), the data has " + byValue.size() + (byValue.isEmpty() ? "" : " " + byValue.keySet()));
        }
        java.util.List<String> values = new java.util.ArrayList<>(byValue.keySet());
        int k = values.size();
        java.util.List<Fold> out = new java.util.ArrayList<>();
        for (int f = 0; f < k; f++) {
            int d = (f + 1) % k;
            java.util.List<Integer> train = new java.util.ArrayList<>();
            for (int g = 0; g < k; g++) {
                if (g != f && g != d) {
                    train.addAll(byValue.get(values.get(g)));
                }
            }
            out.add(new Fold(f, values.get(f), sorted(train), sorted(byValue.get(values.get(d))),
                    sorted(byValue.get(values.get(f)))));
        }
        return java.util.List.copyOf(out);
    }

    private static java.util.Comparator<String> foldOrder(String[] values) {
        boolean numbers = Arrays.stream(values).filter(v -> v != null && !v.isBlank())
                .allMatch(v -> v.trim().matches("-?\\d{1,9}"));
        return numbers ? java.util.Comparator.comparingInt(Integer::parseInt) : java.util.Comparator.naturalOrder();
    }

    private static int[] sorted(java.util.List<Integer> rows) {
        return rows.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
