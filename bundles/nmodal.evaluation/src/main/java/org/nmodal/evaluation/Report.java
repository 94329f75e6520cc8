package org.nmodal.evaluation;

import org.nmodal.api.pipeline.SubsetRule;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nmodal.api.pipeline.EpochStat;
import org.nmodal.api.pipeline.PipelineSpec;
import org.nmodal.data.FeatureSet;
import org.nmodal.training.HeadTrainer;

/** The outcome of a run: {@code report.json}, a self-contained {@code report.html}, and a console summary. */
public final class Report {
    private final PipelineSpec spec;
    private final FeatureSet set;
    private final HeadTrainer.Result heads;
    private final List<Evaluator.Result> results;
    private final List<Evaluator.Retrieval> retrieval;
    private final float[][] fused;
    private final int[] test;
    private final double seconds;
    private Path folder;
    private JsonObject provenance;
    /** Cross-validation: the folds' reports, in fold order, and their values; null for a run on one split. */
    private List<Report> folds;
    private List<String> foldValues;
    private String foldField;
    /** Per result key: each fold's accuracy and macro-F1 ({@code [fold][0 or 1]}), in fold order. */
    private Map<String, double[][]> perFold;
    private final List<Section> sections = new ArrayList<>();

    /**
     * A part of the report another bundle computed (hashtag recommendation): a field of report.json, a block of
     * report.html (placed before the problems) and lines of the console summary.
     *
     * @param key the report.json field
     * @param json its value
     * @param html a self-contained HTML fragment
     * @param summary lines for the console, or ""
     */
    public record Section(String key, com.google.gson.JsonElement json, String html, String summary) {}

    /** A report of a finished run; {@code fused} is every post's fused embedding, for the map of the test posts. */
    public Report(PipelineSpec spec, FeatureSet set, HeadTrainer.Result heads, List<Evaluator.Result> results,
            List<Evaluator.Retrieval> retrieval, float[][] fused, int[] test, double seconds) {
        this.spec = spec;
        this.set = set;
        this.heads = heads;
        this.results = results;
        this.retrieval = retrieval;
        this.fused = fused;
        this.test = test;
        this.seconds = seconds;
    }

    /**
     * The report of a cross-validation: each result is the mean over the folds (accuracy, macro-F1; confusion
     * matrices summed, as every post is tested once; seconds summed), with the standard deviation over folds and
     * every fold's numbers next to it. Retrieval is averaged likewise. The folds' own reports go to sub-folders.
     *
     * @param field the fold field ({@code data.folds})
     * @param values each fold's value, in the order of {@code folds}
     * @param folds each fold's report
     */
    public static Report crossValidated(PipelineSpec spec, FeatureSet set, String field, List<String> values,
            List<Report> folds, double seconds) {
        Map<String, List<Evaluator.Result>> byKey = new LinkedHashMap<>();
        for (Report f : folds) {
            for (Evaluator.Result r : f.results) {
                byKey.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
            }
        }
        List<Evaluator.Result> means = new ArrayList<>();
        Map<String, double[][]> perFold = new LinkedHashMap<>();
        byKey.forEach((k, rs) -> {
            Evaluator.Result first = rs.get(0);
            int[][] confusion = new int[first.confusion().length][first.confusion().length];
            boolean same = rs.stream().allMatch(r -> r.classes().equals(first.classes()));
            for (Evaluator.Result r : same ? rs : List.of(first)) {
                for (int i = 0; i < confusion.length; i++) {
                    for (int j = 0; j < confusion.length; j++) {
                        confusion[i][j] += r.confusion()[i][j];
                    }
                }
            }
            double[][] each = rs.stream().map(r -> new double[] {r.accuracy(), r.macroF1()}).toArray(double[][]::new);
            perFold.put(k, each);
            means.add(new Evaluator.Result(first.task(), first.classifier(), first.features(), first.modalities(),
                    first.split(), mean(each, 0), mean(each, 1), confusion, first.classes(),
                    rs.stream().mapToDouble(Evaluator.Result::seconds).sum()));
        });
        Map<String, List<Evaluator.Retrieval>> retrievals = new LinkedHashMap<>();
        for (Report f : folds) {
            for (Evaluator.Retrieval r : f.retrieval) {
                retrievals.computeIfAbsent(r.query() + "\u0000" + r.target(), k -> new ArrayList<>()).add(r);
            }
        }
        List<Evaluator.Retrieval> retrieval = new ArrayList<>();
        retrievals.values().forEach(rs -> retrieval.add(new Evaluator.Retrieval(rs.get(0).query(), rs.get(0).target(),
                rs.get(0).split(), rs.stream().mapToInt(Evaluator.Retrieval::candidates).sum(),
                rs.stream().mapToDouble(Evaluator.Retrieval::r1).average().orElse(0),
                rs.stream().mapToDouble(Evaluator.Retrieval::r5).average().orElse(0),
                rs.stream().mapToDouble(Evaluator.Retrieval::r10).average().orElse(0))));
        Report first = folds.get(0);
        Report cv = new Report(spec, set, first.heads, means, retrieval, first.fused, first.test, seconds);
        cv.folds = List.copyOf(folds);
        cv.foldValues = List.copyOf(values);
        cv.foldField = field;
        cv.perFold = perFold;
        return cv;
    }

    /** Whether this is a cross-validation's report. */
    public boolean crossValidated() {
        return folds != null;
    }

    /** The sub-folder of fold {@code value}'s report, checkpoints and provenance. */
    public static String foldFolder(String value) {
        return "fold-" + value.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String key(Evaluator.Result r) {
        return r.task() + "\u0000" + r.classifier() + "\u0000" + r.features() + "\u0000" + String.join("+", r.modalities());
    }

    private static double mean(double[][] v, int col) {
        double s = 0;
        for (double[] row : v) {
            s += row[col];
        }
        return s / v.length;
    }

    /** Sample standard deviation (n - 1) of a column; 0 for one value. */
    static double sd(double[][] v, int col) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v, col);
        double s = 0;
        for (double[] row : v) {
            s += (row[col] - m) * (row[col] - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** Where it was written, after {@link #write}. */
    public Path folder() {
        return folder;
    }

    /** Adds a section; sections appear in the order they were added. */
    public void section(Section section) {
        sections.add(section);
    }

    /** Adds a section: {@code json} under {@code key} in report.json, {@code html} after the retrieval table. */
    public void section(String key, com.google.gson.JsonElement json, String html) {
        sections.add(new Section(key, json, html, ""));
    }

    /** The subsets the ablation evaluated, smallest first, and the rule that chose them ({@code evaluate.subsets}). */
    public SubsetRule.Chosen subsets() {
        return spec.subsets().choose(spec.modalities());
    }

    /** The run's provenance manifest, written into report.json. */
    public void provenance(JsonObject manifest) {
        this.provenance = manifest;
    }

    /** Writes both files, each to a temporary name first. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        atomic(dir.resolve("report.json"), new GsonBuilder().setPrettyPrinting().create().toJson(json()));
        atomic(dir.resolve("report.html"), html());
        folder = dir;
    }

    JsonObject json() {
        JsonObject o = new JsonObject();
        o.addProperty("pipeline", spec.id());
        o.addProperty("file", spec.file().toString());
        o.addProperty("created", Instant.now().toString());
        o.addProperty("seconds", round(seconds));
        if (provenance != null) {
            o.add("provenance", provenance);
        }
        JsonObject data = new JsonObject();
        data.addProperty("format", spec.dataFormat());
        data.addProperty("path", spec.dataPath().toString());
        data.addProperty("posts", set.size());
        JsonArray mods = new JsonArray();
        spec.modalities().forEach(mods::add);
        data.add("modalities", mods);
        // a post lacking a modality (no caption, no sound) is normal: how many lack each, not an error per post
        JsonObject missing = new JsonObject();
        spec.modalities().forEach(m -> missing.addProperty(m, missing(m)));
        data.add("missing", missing);
        o.add("data", data);
        JsonObject training = new JsonObject();
        training.addProperty("loss", spec.loss());
        training.addProperty("fusion", spec.fusion());
        training.addProperty("projectionDim", spec.projectionDim());
        training.addProperty("bestEpoch", heads.bestEpoch());
        training.addProperty("recoveries", heads.recoveries());
        training.addProperty("seconds", round(heads.seconds()));
        training.addProperty("seed", spec.training().seed());
        JsonArray history = new JsonArray();
        for (EpochStat e : heads.history()) {
            JsonObject h = new JsonObject();
            h.addProperty("epoch", e.epoch());
            h.addProperty("trainLoss", round(e.trainLoss()));
            h.addProperty("devLoss", round(e.devLoss()));
            h.addProperty("lr", e.lr());
            history.add(h);
        }
        training.add("history", history);
        if (folds != null) {
            // one set of heads per fold: the per-fold numbers replace the single run's
            training.remove("bestEpoch");
            training.remove("recoveries");
            training.remove("history");
            training.addProperty("seconds", round(folds.stream().mapToDouble(f -> f.heads.seconds()).sum()));
            JsonArray perFoldTraining = new JsonArray();
            for (int k = 0; k < folds.size(); k++) {
                JsonObject f = new JsonObject();
                f.addProperty("fold", foldValues.get(k));
                f.addProperty("bestEpoch", folds.get(k).heads.bestEpoch());
                f.addProperty("recoveries", folds.get(k).heads.recoveries());
                f.addProperty("seconds", round(folds.get(k).heads.seconds()));
                perFoldTraining.add(f);
            }
            training.add("folds", perFoldTraining);
        }
        o.add("training", training);
        if (folds != null) {
            JsonObject cv = new JsonObject();
            cv.addProperty("field", foldField);
            cv.addProperty("folds", folds.size());
            cv.addProperty("scheme", "fold k tests, fold k+1 (mod K) early-stops the heads, the rest train; "
                    + "classifiers fit on train and dev; results are means over folds, sd is the sample standard "
                    + "deviation (n - 1), confusion matrices are summed");
            JsonArray fs = new JsonArray();
            for (int k = 0; k < folds.size(); k++) {
                JsonObject f = new JsonObject();
                f.addProperty("fold", foldValues.get(k));
                f.addProperty("folder", foldFolder(foldValues.get(k)));
                f.addProperty("testPosts", folds.get(k).test.length);
                fs.add(f);
            }
            cv.add("perFold", fs);
            o.add("crossValidation", cv);
        }
        JsonArray rs = new JsonArray();
        for (Evaluator.Result r : results) {
            JsonObject j = new JsonObject();
            j.addProperty("task", r.task());
            j.addProperty("classifier", r.classifier());
            j.addProperty("features", r.features());
            JsonArray m = new JsonArray();
            r.modalities().forEach(m::add);
            j.add("modalities", m);
            j.addProperty("split", r.split());
            j.addProperty("accuracy", round(r.accuracy()));
            j.addProperty("macroF1", round(r.macroF1()));
            j.addProperty("seconds", round(r.seconds()));
            if (folds != null) {
                double[][] each = perFold.get(key(r));
                j.addProperty("accuracySd", round(sd(each, 0)));
                j.addProperty("macroF1Sd", round(sd(each, 1)));
                JsonArray fs = new JsonArray();
                for (int k = 0; k < each.length; k++) {
                    JsonObject f = new JsonObject();
                    f.addProperty("fold", foldValues.get(k));
                    f.addProperty("accuracy", round(each[k][0]));
                    f.addProperty("macroF1", round(each[k][1]));
                    fs.add(f);
                }
                j.add("folds", fs);
            }
            JsonArray classes = new JsonArray();
            r.classes().forEach(classes::add);
            j.add("classes", classes);
            JsonArray confusion = new JsonArray();
            for (int[] row : r.confusion()) {
                JsonArray a = new JsonArray();
                for (int v : row) {
                    a.add(v);
                }
                confusion.add(a);
            }
            j.add("confusion", confusion);
            rs.add(j);
        }
        JsonObject ablation = new JsonObject();
        SubsetRule.Chosen c = subsets();
        ablation.addProperty("rule", c.rule());
        ablation.addProperty("count", c.subsets().size());
        JsonArray subsets = new JsonArray();
        for (List<String> subset : c.subsets()) {
            JsonArray a = new JsonArray();
            subset.forEach(a::add);
            subsets.add(a);
        }
        ablation.add("subsets", subsets);
        o.add("ablation", ablation);
        o.add("results", rs);
        JsonArray rt = new JsonArray();
        for (Evaluator.Retrieval r : retrieval) {
            JsonObject j = new JsonObject();
            j.addProperty("query", r.query());
            j.addProperty("target", r.target());
            j.addProperty("split", r.split());
            j.addProperty("candidates", r.candidates());
            j.addProperty("r1", round(r.r1()));
            j.addProperty("r5", round(r.r5()));
            j.addProperty("r10", round(r.r10()));
            rt.add(j);
        }
        o.add("retrieval", rt);
        sections.forEach(x -> o.add(x.key(), x.json()));
        JsonArray errors = new JsonArray();
        set.errors().forEach(errors::add);
        o.add("errors", errors);
        JsonArray warnings = new JsonArray();
        set.warnings().forEach(warnings::add);
        o.add("warnings", warnings);
        return o;
    }

    /** The results table as the console prints it: best accuracy per task, subset and feature kind. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (String task : spec.tasks()) {
            String width = folds == null ? "%-34s" : "%-52s";
            sb.append(folds == null
                    ? String.format(Locale.ROOT, "%ntask %s (test accuracy / macro-F1, best classifier)%n", task)
                    : String.format(Locale.ROOT, "%ntask %s (%d-fold cross-validation on %s: mean ± sd of test accuracy "
                            + "/ macro-F1, best classifier by mean)%n", task, folds.size(), foldField));
            List<String> kinds = kinds();
            // as wide as the longest subset's name, so the columns stay aligned with many streams
            String names = "%-" + Math.max(28, subsets().subsets().stream().mapToInt(x -> String.join("+", x).length())
                    .max().orElse(0)) + "s";
            sb.append(String.format(Locale.ROOT, "  " + names, "modalities"));
            kinds.forEach(k -> sb.append(String.format(Locale.ROOT, " " + width, switch (k) {
                case "raw" -> "raw features";
                case "aligned" -> "aligned (projected, fused)";
                case "late" -> "late (one per modality, averaged)";
                default -> "fused (" + spec.fusion() + ", trained with the labels)";
            })));
            sb.append(System.lineSeparator());
            for (List<String> subset : subsets().subsets()) {
                sb.append(String.format(Locale.ROOT, "  " + names, String.join("+", subset)));
                kinds.forEach(k -> sb.append(String.format(Locale.ROOT, " " + width, cell(best(task, subset, k)))));
                sb.append(System.lineSeparator());
            }
            double all = bestAccuracy(task, spec.modalities().size());
            double single = bestAccuracy(task, 1);
            if (subsets().subsets().contains(spec.modalities()) && subsets().subsets().stream().anyMatch(x -> x.size() == 1)) {
                sb.append(String.format(Locale.ROOT, "  best with all %d modalities %.4f, best single modality %.4f "
                        + "(%+.1f points)%n", spec.modalities().size(), all, single, 100 * (all - single)));
            }
        }
        sb.append(String.format(Locale.ROOT, "%nsubsets evaluated (evaluate.subsets): %s%n", subsets().rule()));
        sections.forEach(x -> sb.append(x.summary()));
        if (!set.errors().isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%n%d problem(s) with the data, for example: %s%n", set.errors().size(),
                    set.errors().get(0)));
        }
        if (!set.warnings().isEmpty()) {
            sb.append(System.lineSeparator());
            set.warnings().forEach(w -> sb.append("warning: ").append(w).append(System.lineSeparator()));
        }
        return sb.toString();
    }

    /** The feature kinds the results hold, in the order of the tables. */
    private List<String> kinds() {
        return java.util.stream.Stream.of("raw", "aligned", "fused", "late")
                .filter(k -> results.stream().anyMatch(r -> r.features().equals(k))).toList();
    }

    /** How many posts lack a modality. */
    private long missing(String modality) {
        float[][] x = set.features(modality);
        return x == null ? set.size() : java.util.Arrays.stream(x).filter(java.util.Objects::isNull).count();
    }

    /** Best test accuracy of a task over every subset of the given size, both feature kinds, all classifiers. */
    double bestAccuracy(String task, int size) {
        return results.stream().filter(r -> r.task().equals(task) && r.modalities().size() == size)
                .mapToDouble(Evaluator.Result::accuracy).max().orElse(0);
    }

    Evaluator.Result best(String task, List<String> subset, String kind) {
        return results.stream().filter(r -> r.task().equals(task) && r.features().equals(kind)
                && r.modalities().equals(subset)).max(Comparator.comparingDouble(Evaluator.Result::accuracy)).orElse(null);
    }

    private String cell(Evaluator.Result r) {
        if (r == null) {
            return "-";
        }
        if (folds == null) {
            return String.format(Locale.ROOT, "%.4f / %.4f  %s", r.accuracy(), r.macroF1(), r.classifier());
        }
        double[][] each = perFold.get(key(r));
        return String.format(Locale.ROOT, "%.4f ± %.4f / %.4f ± %.4f  %s", r.accuracy(), sd(each, 0), r.macroF1(),
                sd(each, 1), r.classifier());
    }

    private String html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>nmodal report: ")
                .append(esc(spec.id())).append("</title><style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}")
                .append("td.l,th.l{text-align:left}h2{margin-top:2em}.best{font-weight:bold;background:#eef7ee}")
                .append("svg{background:#fafafa;border:1px solid #ddd}</style></head><body>");
        h.append("<h1>nmodal report: ").append(esc(spec.id())).append("</h1><p>")
                .append(set.size()).append(" posts, modalities ").append(esc(String.join(", ", spec.modalities()
                        .stream().map(m -> missing(m) == 0 ? m : m + " (missing for " + missing(m) + ")").toList())))
                .append("; loss ").append(esc(spec.loss())).append(", fusion ").append(esc(spec.fusion()))
                .append(", projection ").append(spec.projectionDim()).append("-d; run took ")
                .append(String.format(Locale.ROOT, "%.1f", seconds)).append(" s.</p>");
        if (!set.warnings().isEmpty()) {
            h.append("<h2 class=warn>Warnings (").append(set.warnings().size()).append(")</h2><ul>");
            set.warnings().forEach(w -> h.append("<li>").append(esc(w)).append("</li>"));
            h.append("</ul>");
        }
        if (folds == null) {
            h.append("<h2>Training</h2>").append(lossCurve());
        } else {
            h.append("<h2>Cross-validation</h2><p>").append(folds.size()).append(" folds on <code>").append(esc(foldField))
                    .append("</code>: fold k is tested, fold k+1 (mod K) stops the heads' training early, the others ")
                    .append("train; classifiers fit on train and dev. Cells are mean ± sample standard deviation over ")
                    .append("the folds.</p><table><tr><th class=l>fold</th><th>test posts</th><th>best epoch</th>")
                    .append("<th>head training s</th><th class=l>report</th></tr>");
            for (int k = 0; k < folds.size(); k++) {
                String sub = foldFolder(foldValues.get(k));
                h.append(String.format(Locale.ROOT, "<tr><td class=l>%s</td><td>%d</td><td>%d</td><td>%.1f</td>"
                        + "<td class=l><a href=\"%s/report.html\">%s/report.html</a></td></tr>", esc(foldValues.get(k)),
                        folds.get(k).test.length, folds.get(k).heads.bestEpoch(), folds.get(k).heads.seconds(), sub, sub));
            }
            h.append("</table>");
        }
        h.append("<p class=subsets>Subsets evaluated (<code>evaluate.subsets</code>): ").append(esc(subsets().rule()))
                .append(".</p>");
        for (String task : spec.tasks()) {
            h.append("<h2>Task ").append(esc(task)).append(folds == null ? ": ablation (test split)</h2>"
                    : ": ablation (" + folds.size() + "-fold cross-validation)</h2>")
                    .append("<table><tr><th class=l>modalities</th>");
            List<String[]> columns = new java.util.ArrayList<>();
            for (String kind : kinds()) {
                (kind.equals("fused") ? List.of(spec.fusion()) : spec.classifiers())
                        .forEach(c -> columns.add(new String[] {kind, c}));
            }
            columns.forEach(c -> h.append("<th>").append(c[0]).append("<br>").append(esc(c[1])).append("</th>"));
            h.append("</tr>");
            for (List<String> subset : subsets().subsets()) {
                h.append("<tr><td class=l>").append(esc(String.join(" + ", subset))).append("</td>");
                double top = results.stream().filter(r -> r.task().equals(task) && r.modalities().equals(subset))
                        .mapToDouble(Evaluator.Result::accuracy).max().orElse(0);
                for (String[] col : columns) {
                    String kind = col[0];
                    String c = col[1];
                    {
                        Evaluator.Result r = results.stream().filter(x -> x.task().equals(task)
                                && x.modalities().equals(subset) && x.features().equals(kind)
                                && x.classifier().equals(c)).findFirst().orElse(null);
                        h.append(r != null && r.accuracy() == top ? "<td class=best>" : "<td>")
                                .append(r == null ? "-" : folds == null
                                        ? String.format(Locale.ROOT, "%.3f<br><small>F1 %.3f</small>", r.accuracy(),
                                                r.macroF1())
                                        : String.format(Locale.ROOT, "%.3f ± %.3f<br><small>F1 %.3f ± %.3f</small>",
                                                r.accuracy(), sd(perFold.get(key(r)), 0), r.macroF1(),
                                                sd(perFold.get(key(r)), 1))).append("</td>");
                    }
                }
                h.append("</tr>");
            }
            h.append("</table>");
            Evaluator.Result all = kinds().stream().map(k -> best(task, spec.modalities(), k))
                    .filter(java.util.Objects::nonNull).max(Comparator.comparingDouble(Evaluator.Result::accuracy))
                    .orElse(null);
            if (all != null) {
                h.append("<h3>Confusion matrix: all modalities, ").append(all.features()).append(", ")
                        .append(esc(all.classifier())).append("</h3>").append(confusion(all));
            }
        }
        h.append("<h2>Map of the fused embeddings (test split").append(folds == null ? ""
                : " of fold " + esc(foldValues.get(0))).append(", first two principal components)</h2>").append(map());
        h.append("<h2>Cross-modal retrieval (test split").append(folds == null ? "" : "s, mean over folds")
                .append(")</h2><table><tr><th class=l>query</th><th class=l>target</th>")
                .append("<th>candidates</th><th>R@1</th><th>R@5</th><th>R@10</th></tr>");
        for (Evaluator.Retrieval r : retrieval) {
            h.append(String.format(Locale.ROOT, "<tr><td class=l>%s</td><td class=l>%s</td><td>%d</td><td>%.3f</td>"
                    + "<td>%.3f</td><td>%.3f</td></tr>", esc(r.query()), r.target().equals("*") ? "all others"
                    : esc(r.target()), r.candidates(), r.r1(), r.r5(), r.r10()));
        }
        h.append("</table>");
        sections.forEach(x -> h.append(x.html()));
        h.append("<h2>Problems (").append(set.errors().size()).append(")</h2><ul>");
        set.errors().stream().limit(200).forEach(e -> h.append("<li>").append(esc(e)).append("</li>"));
        return h.append("</ul></body></html>").toString();
    }

    private String lossCurve() {
        List<EpochStat> hist = heads.history();
        if (hist.isEmpty()) {
            return "<p>no training epochs</p>";
        }
        double max = hist.stream().mapToDouble(e -> Math.max(finite(e.trainLoss()), finite(e.devLoss()))).max().orElse(1);
        double min = hist.stream().mapToDouble(e -> Math.min(finite(e.trainLoss()), finite(e.devLoss()))).min().orElse(0);
        int w = 640;
        int hgt = 240;
        StringBuilder s = new StringBuilder("<svg width=\"" + w + "\" height=\"" + hgt + "\" viewBox=\"0 0 " + w + " "
                + hgt + "\">");
        for (int series = 0; series < 2; series++) {
            StringBuilder pts = new StringBuilder();
            for (EpochStat e : hist) {
                double v = series == 0 ? e.trainLoss() : e.devLoss();
                double x = 40 + (w - 60) * (hist.size() == 1 ? 0.5 : (e.epoch() - 1) / (double) (hist.size() - 1));
                double y = 20 + (hgt - 50) * (max == min ? 0.5 : (max - finite(v)) / (max - min));
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(series == 0 ? "#1f77b4" : "#d62728")
                    .append("\" points=\"").append(pts).append("\"/>");
        }
        s.append(String.format(Locale.ROOT, "<text x=\"40\" y=\"14\">loss %.3f .. %.3f over %d epochs "
                + "(blue: train, red: dev; best epoch %d)</text>", min, max, hist.size(), heads.bestEpoch()));
        return s.append("</svg>").toString();
    }

    private static String confusion(Evaluator.Result r) {
        int[][] c = r.confusion();
        int max = 1;
        for (int[] row : c) {
            for (int v : row) {
                max = Math.max(max, v);
            }
        }
        StringBuilder h = new StringBuilder("<table><tr><th class=l>truth \\ predicted</th>");
        r.classes().forEach(k -> h.append("<th>").append(esc(k)).append("</th>"));
        h.append("</tr>");
        for (int i = 0; i < c.length; i++) {
            h.append("<tr><th class=l>").append(esc(r.classes().get(i))).append("</th>");
            for (int j = 0; j < c.length; j++) {
                int shade = 255 - (int) (155.0 * c[i][j] / max);
                h.append(String.format(Locale.ROOT, "<td style=\"background:rgb(%d,%d,255)\">%d</td>", shade, shade,
                        c[i][j]));
            }
            h.append("</tr>");
        }
        return h.append("</table>").toString();
    }

    /** A scatter of the fused test embeddings on their first two principal components, coloured by first task. */
    private String map() {
        if (spec.tasks().isEmpty()) {
            return "<p>no classification task to colour the posts by</p>";
        }
        List<float[]> rows = new ArrayList<>();
        List<String> colours = new ArrayList<>();
        String[] labels = set.labels(spec.tasks().get(0));
        Map<String, String> palette = new LinkedHashMap<>();
        String[] hues = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
        for (int i : test) {
            if (fused[i] != null && labels[i] != null) {
                rows.add(fused[i]);
                colours.add(palette.computeIfAbsent(labels[i], k -> hues[palette.size() % hues.length]));
            }
        }
        if (rows.size() < 3) {
            return "<p>too few test posts to draw</p>";
        }
        double[][] xy = Pca.project2(rows, 10, 10, 500, 500);
        StringBuilder s = new StringBuilder("<svg width=\"520\" height=\"520\" viewBox=\"0 0 520 520\">");
        for (int i = 0; i < xy.length; i++) {
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\" fill-opacity=\"0.6\"/>",
                    xy[i][0], xy[i][1], colours.get(i)));
        }
        s.append("</svg><p>");
        palette.forEach((k, v) -> s.append("<span style=\"color:").append(v).append("\">&#9679; ").append(esc(k))
                .append("</span> "));
        return s.append("</p>").toString();
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : -1;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void atomic(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
