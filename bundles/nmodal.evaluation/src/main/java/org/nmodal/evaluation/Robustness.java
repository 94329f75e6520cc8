package org.nmodal.evaluation;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The noisy-pair section of a report: what was corrupted, the mean retrieval over ordered modality pairs, and, when a
 * reweighter ran, how well its per-post weights separate clean from corrupted training posts (ROC AUC: the chance
 * that a clean post weighs more than a corrupted one) with a histogram of the weights.
 */
public final class Robustness {
    private Robustness() {}

    /** Mean R@1, R@5 and R@10 over the ordered single-modality pairs (not the all-others rows). */
    public static double[] meanRecall(List<Evaluator.Retrieval> retrieval) {
        double[] s = new double[3];
        int n = 0;
        for (Evaluator.Retrieval r : retrieval) {
            if (!r.target().equals("*")) {
                s[0] += r.r1();
                s[1] += r.r5();
                s[2] += r.r10();
                n++;
            }
        }
        for (int k = 0; k < 3 && n > 0; k++) {
            s[k] /= n;
        }
        return s;
    }

    /** ROC AUC of the weights for clean (positive) against corrupted training rows; NaN without both kinds. */
    public static double auc(float[] weights, String[] corruptedModality, int[] train) {
        int pos = 0;
        int neg = 0;
        for (int i : train) {
            if (Float.isFinite(weights[i])) {
                if (corruptedModality[i] == null) {
                    pos++;
                } else {
                    neg++;
                }
            }
        }
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        // rank-sum (Mann-Whitney) with average ranks for ties
        int[] rows = java.util.Arrays.stream(train).filter(i -> Float.isFinite(weights[i])).boxed()
                .sorted((a, b) -> Float.compare(weights[a], weights[b])).mapToInt(Integer::intValue).toArray();
        double rankSum = 0;
        for (int k = 0; k < rows.length;) {
            int e = k;
            while (e + 1 < rows.length && weights[rows[e + 1]] == weights[rows[k]]) {
                e++;
            }
            double rank = (k + e) / 2.0 + 1;
            for (int j = k; j <= e; j++) {
                if (corruptedModality[rows[j]] == null) {
                    rankSum += rank;
                }
            }
            k = e + 1;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * The report section.
     *
     * @param fraction {@code train.noisyPairs}
     * @param weights per row, a training post's weight in the last epoch (null without a reweighter)
     */
    public static JsonObject json(double fraction, String modality, long seed, String[] corrupted, int count,
            int[] train, List<Evaluator.Retrieval> retrieval, float[] weights) {
        JsonObject o = new JsonObject();
        o.addProperty("noisyPairs", fraction);
        o.addProperty("noisyModality", modality == null ? "any (one per post, seeded)" : modality);
        o.addProperty("seed", seed);
        o.addProperty("trainingPosts", train.length);
        o.addProperty("corruptedPosts", count);
        double[] mean = meanRecall(retrieval);
        o.addProperty("meanR1", round(mean[0]));
        o.addProperty("meanR5", round(mean[1]));
        o.addProperty("meanR10", round(mean[2]));
        if (weights != null) {
            JsonObject w = new JsonObject();
            double auc = auc(weights, corrupted, train);
            w.addProperty("rocAuc", Double.isNaN(auc) ? null : round(auc));
            double[] finite = java.util.Arrays.stream(train).filter(i -> Float.isFinite(weights[i]))
                    .mapToDouble(i -> weights[i]).toArray();
            float lo = (float) java.util.Arrays.stream(finite).min().orElse(Double.POSITIVE_INFINITY);
            float hi = (float) java.util.Arrays.stream(finite).max().orElse(Double.NEGATIVE_INFINITY);
            int bins = 20;
            int[][] hist = new int[2][bins];
            for (int i : train) {
                if (Float.isFinite(weights[i])) {
                    int b = hi > lo ? Math.min(bins - 1, (int) ((weights[i] - lo) / (hi - lo) * bins)) : 0;
                    hist[corrupted[i] == null ? 0 : 1][b]++;
                }
            }
            w.addProperty("min", lo);
            w.addProperty("max", hi);
            w.add("histogramClean", new com.google.gson.Gson().toJsonTree(hist[0]));
            w.add("histogramCorrupted", new com.google.gson.Gson().toJsonTree(hist[1]));
            o.add("weights", w);
        }
        return o;
    }

    /**
     * Completes a cross-validated run's section, {@link #json} of its retrieval averaged over the folds: each fold's
     * own section with its fold, the training and corrupted posts summed, and the mean of the folds' ROC AUC.
     *
     * @since 1.5
     */
    public static JsonObject withFolds(JsonObject o, List<String> values, List<JsonObject> folds) {
        JsonArray each = new JsonArray();
        double auc = 0;
        for (int k = 0; k < folds.size(); k++) {
            JsonObject f = folds.get(k).deepCopy();
            f.addProperty("fold", values.get(k));
            each.add(f);
            var a = f.has("weights") ? f.getAsJsonObject("weights").get("rocAuc") : null;
            auc += a == null || a.isJsonNull() ? Double.NaN : a.getAsDouble();
        }
        o.addProperty("trainingPosts", folds.stream().mapToInt(f -> f.get("trainingPosts").getAsInt()).sum());
        o.addProperty("corruptedPosts", folds.stream().mapToInt(f -> f.get("corruptedPosts").getAsInt()).sum());
        if (folds.get(0).has("weights")) {
            o.add("weights", new JsonObject());
            o.getAsJsonObject("weights").addProperty("rocAuc", Double.isNaN(auc) ? null : round(auc / folds.size()));
        }
        o.add("folds", each);
        return o;
    }

    /** Adds the section to a report and its numbers to the run's log. */
    public static void addTo(Report report, JsonObject r, java.util.function.Consumer<String> log) {
        log.accept("retrieval: mean over ordered pairs R@1 " + r.get("meanR1") + ", R@5 " + r.get("meanR5") + ", R@10 "
                + r.get("meanR10") + (r.has("weights") ? "; sample weights: ROC AUC clean vs corrupted "
                + r.getAsJsonObject("weights").get("rocAuc") : ""));
        report.section("robustness", r, html(r));
    }

    /** The section's HTML: the numbers and the weight histogram (clean above, corrupted below). */
    public static String html(JsonObject o) {
        StringBuilder h = new StringBuilder("<h2>Noisy pairs and sample weights</h2><p>");
        h.append(String.format(Locale.ROOT, "%d of %d training posts corrupted (noisyPairs %s, modality %s, seed %d). "
                + "Mean retrieval over ordered modality pairs: R@1 %.3f, R@5 %.3f, R@10 %.3f.",
                o.get("corruptedPosts").getAsInt(), o.get("trainingPosts").getAsInt(), o.get("noisyPairs").getAsString(),
                o.get("noisyModality").getAsString(), o.get("seed").getAsLong(), o.get("meanR1").getAsDouble(),
                o.get("meanR5").getAsDouble(), o.get("meanR10").getAsDouble()));
        h.append(o.has("folds") ? " Posts summed, figures averaged over the " + o.getAsJsonArray("folds").size()
                + " folds (each fold's report has its own figures and weight histogram)." : "");
        JsonObject w = o.has("weights") ? o.getAsJsonObject("weights") : null;
        if (w != null) {
            h.append(" Sample weights (last epoch): ROC AUC clean vs corrupted ")
                    .append(w.get("rocAuc").isJsonNull() ? "n/a" : w.get("rocAuc").getAsString()).append(".</p>");
        }
        if (w != null && w.has("histogramClean")) {
            JsonArray clean = w.getAsJsonArray("histogramClean");
            JsonArray bad = w.getAsJsonArray("histogramCorrupted");
            int max = Math.max(1, java.util.stream.IntStream.range(0, clean.size())
                    .map(b -> Math.max(clean.get(b).getAsInt(), bad.get(b).getAsInt())).max().orElse(0));
            int bw = 24;
            StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                    "<svg width=\"%d\" height=\"230\" viewBox=\"0 0 %d 230\">", clean.size() * bw + 20, clean.size() * bw + 20));
            for (int b = 0; b < clean.size(); b++) {
                double c = 100.0 * clean.get(b).getAsInt() / max;
                double d = 100.0 * bad.get(b).getAsInt() / max;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#3a7\">"
                        + "<title>clean: %d</title></rect><rect x=\"%d\" y=\"110\" width=\"%d\" height=\"%.1f\" "
                        + "fill=\"#c33\"><title>corrupted: %d</title></rect>", 10 + b * bw, 110 - c, bw - 2, c,
                        clean.get(b).getAsInt(), 10 + b * bw, bw - 2, d, bad.get(b).getAsInt()));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"225\" font-size=\"11\">weight %.3f</text>"
                    + "<text x=\"%d\" y=\"225\" font-size=\"11\" text-anchor=\"end\">%.3f</text></svg>",
                    w.get("min").getAsDouble(), clean.size() * bw + 10, w.get("max").getAsDouble()));
            h.append("<p>Weight histogram: clean posts above the line (green), corrupted below (red).</p>").append(svg);
        } else if (w == null) {
            h.append("</p>");
        }
        return h.toString();
    }

    private static double round(double x) {
        return Math.round(x * 1e4) / 1e4;
    }
}
