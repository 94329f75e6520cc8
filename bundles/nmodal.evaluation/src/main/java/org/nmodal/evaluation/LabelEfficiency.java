package org.nmodal.evaluation;

import ai.djl.engine.Engine;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.classify.Evaluation;
import org.nmodal.api.fusion.FusionStrategy;
import org.nmodal.training.Batches;
import org.nmodal.training.FusionFitter;
import org.nmodal.training.TaskLabels;

/**
 * Label-efficiency curves: the heads are trained on every training post (no labels needed); the classifiers on a
 * seeded, stratified fraction of the labelled fitting posts; test accuracy of the best classifier for raw and for
 * aligned features of all modalities at each fraction, so a user sees where the aligned space pays off.
 */
public final class LabelEfficiency {
    private LabelEfficiency() {}

    /** One point of a curve. */
    public record Point(String task, double fraction, String features, int labelled, String classifier,
            double accuracy) {}

    /** Every task, fraction and feature kind; each point keeps the classifier with the best test accuracy. */
    public static List<Point> curves(Engine engine, List<String> modalities, Map<String, float[][]> raw,
            Map<String, float[][]> aligned, int dim, FusionStrategy fusion, Map<String, Object> fusionSettings,
            Map<String, DownstreamClassifier> classifiers, Map<String, String[]> labels, int[] fit, int[] test,
            List<Double> fractions, long seed) {
        float[][] rawAll = Evaluator.concat(raw, modalities);
        List<java.util.concurrent.Callable<Point>> jobs = new ArrayList<>();
        for (Map.Entry<String, String[]> task : labels.entrySet()) {
            TaskLabels t = TaskLabels.of(task.getValue(), fit, test);
            int classes = t.classes().size();
            for (double f : fractions) {
                int[] pick = stratified(t.yFit(), classes, f, seed);
                int[] rows = Arrays.stream(pick).map(k -> t.fitRows()[k]).toArray();
                int[] y = Arrays.stream(pick).map(k -> t.yFit()[k]).toArray();
                for (String kind : List.of("raw", "aligned")) {
                    float[][] x = kind.equals("raw") ? rawAll : FusionFitter.fit(engine, aligned,
                            new FusionFitter.Fusing(fusion, fusionSettings, modalities, dim), rows, y, classes, seed, null);
                    float[][] xFit = Batches.rows(x, rows);
                    float[][] xTest = Batches.rows(x, t.testRows());
                    jobs.add(() -> {
                        Point best = null;
                        for (Map.Entry<String, DownstreamClassifier> c : classifiers.entrySet()) {
                            Evaluation e = Evaluator.fitAndScore(c.getValue(), xFit, y, xTest, t.yTest(), classes, seed)
                                    .evaluation();
                            if (e != null && (best == null || e.accuracy() > best.accuracy())) {
                                best = new Point(task.getKey(), f, kind, rows.length, c.getKey(), e.accuracy());
                            }
                        }
                        return best;
                    });
                }
            }
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<Point> out = new ArrayList<>();
            for (java.util.concurrent.Future<Point> p : pool.invokeAll(jobs)) {
                if (p.get() != null) {
                    out.add(p.get());
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("label-efficiency curves interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new IllegalStateException(c.getMessage(), c);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A seeded, stratified sample: {@code round(fraction × count)} of each class, at least one (so every class is
     * seen); indices into {@code y}, sorted.
     */
    public static int[] stratified(int[] y, int classes, double fraction, long seed) {
        Random r = new Random(seed * 613 + Math.round(fraction * 1e6));
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (y[i] == c) {
                    members.add(i);
                }
            }
            java.util.Collections.shuffle(members, r);
            int k = members.isEmpty() ? 0 : Math.max(1, (int) Math.round(fraction * members.size()));
            out.addAll(members.subList(0, Math.min(k, members.size())));
        }
        return out.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Adds the curves to a report, and one line per point to the run's log. */
    public static void addTo(Report report, List<Point> curve, java.util.function.Consumer<String> log) {
        curve.forEach(p -> log.accept(String.format(Locale.ROOT, "label efficiency: %s %.3g (%d labelled) %s %.4f (%s)",
                p.task(), p.fraction(), p.labelled(), p.features(), p.accuracy(), p.classifier())));
        report.section("labelEfficiency", json(curve), html(curve));
    }

    /** The points as report.json's {@code labelEfficiency}. */
    public static JsonObject json(List<Point> points) {
        JsonObject o = new JsonObject();
        o.addProperty("scheme", "heads trained on all training posts; classifiers on a seeded stratified fraction of "
                + "the labelled training posts; all modalities; best classifier by test accuracy per point");
        JsonArray a = new JsonArray();
        for (Point p : points) {
            a.add(new com.google.gson.Gson().toJsonTree(new Point(p.task(), p.fraction(), p.features(), p.labelled(),
                    p.classifier(), Math.round(p.accuracy() * 1e4) / 1e4)));
        }
        o.add("points", a);
        return o;
    }

    /** One plot per task: test accuracy against the fraction (log scale), raw and aligned. */
    public static String html(List<Point> points) {
        StringBuilder h = new StringBuilder("<h2>Label efficiency (test accuracy against the labelled fraction, "
                + "all modalities, best classifier)</h2>");
        for (String task : points.stream().map(Point::task).distinct().toList()) {
            List<Point> ps = points.stream().filter(p -> p.task().equals(task)).toList();
            double lo = ps.stream().mapToDouble(Point::accuracy).min().orElse(0);
            double hi = ps.stream().mapToDouble(Point::accuracy).max().orElse(1);
            double fMin = Math.log10(ps.stream().mapToDouble(Point::fraction).min().orElse(0.01));
            double fMax = Math.log10(ps.stream().mapToDouble(Point::fraction).max().orElse(1));
            int w = 520;
            int hg = 220;
            StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                    "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\"><rect x=\"40\" y=\"10\" width=\"%d\" "
                            + "height=\"%d\" fill=\"none\" stroke=\"#999\"/>", w, hg, w, hg, w - 60, hg - 40));
            String[] colours = {"#888", "#c33"};
            String[] kinds = {"raw", "aligned"};
            for (int k = 0; k < 2; k++) {
                String kind = kinds[k];
                StringBuilder line = new StringBuilder();
                for (Point p : ps.stream().filter(p -> p.features().equals(kind)).toList()) {
                    double x = 40 + (fMax > fMin ? (Math.log10(p.fraction()) - fMin) / (fMax - fMin) : 0.5) * (w - 60);
                    double y = 10 + (hg - 40) * (1 - (hi > lo ? (p.accuracy() - lo) / (hi - lo) : 0.5));
                    line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">"
                            + "<title>%s %.2f: %.4f (%s, %d labelled)</title></circle>", x, y, colours[k], kind,
                            p.fraction(), p.accuracy(), p.classifier(), p.labelled()));
                }
                svg.append("<polyline fill=\"none\" stroke=\"").append(colours[k]).append("\" points=\"")
                        .append(line).append("\"/>");
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\" font-size=\"12\">%s</text>",
                        50 + k * 70, 26, colours[k], kind));
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"16\" font-size=\"11\">%.3f</text><text x=\"2\" "
                    + "y=\"%d\" font-size=\"11\">%.3f</text><text x=\"%d\" y=\"%d\" font-size=\"11\">labelled "
                    + "fraction (log)</text></svg>", hi, hg - 30, lo, w / 2 - 50, hg - 8));
            h.append("<h3>").append(task.replace("<", "&lt;")).append("</h3>").append(svg).append("<table><tr>"
                    + "<th>fraction</th><th>labelled</th><th>raw</th><th>aligned</th></tr>");
            for (double f : ps.stream().mapToDouble(Point::fraction).distinct().sorted().toArray()) {
                Point r = ps.stream().filter(p -> p.fraction() == f && p.features().equals("raw")).findFirst().orElse(null);
                Point a = ps.stream().filter(p -> p.fraction() == f && p.features().equals("aligned")).findFirst()
                        .orElse(null);
                h.append(String.format(Locale.ROOT, "<tr><td>%.3g</td><td>%d</td><td>%s</td><td>%s</td></tr>", f,
                        r != null ? r.labelled() : a != null ? a.labelled() : 0, cell(r), cell(a)));
            }
            h.append("</table>");
        }
        return h.toString();
    }

    private static String cell(Point p) {
        return p == null ? "" : String.format(Locale.ROOT, "%.4f <small>%s</small>", p.accuracy(), p.classifier());
    }
}
