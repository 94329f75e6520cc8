package org.nmodal.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MAMA against InfoNCE on noisy pairs, on the real launcher ({@code runtime/nmodal run}, own work folder): the demo
 * posts (text, image, video) and Twitter I (image and its caption as text), each with no noise and with 30 % of the
 * training posts' pairs broken, same seed; Twitter I on its single split and over its five folds ({@code meta.fold},
 * per fold and the mean). Prints text-to-image R@1, the mean R@1/5/10 over ordered modality pairs,
 * the ROC AUC of MAMA's sample weights for clean against corrupted posts, and the label-efficiency curves of the
 * demo, Twitter I and CMU-MOSI ({@code -Dnmodal.bench=mama}).
 */
final class MamaBench {
    private static final String CLASSIFIERS = "[\"gaussian-nb\", \"random-forest\", \"linear-svm\", \"logistic\"]";
    /**
     * Twitter I's weight net reads each post's past agreement with the meta gradient rather than its loss, averaged
     * over the epochs, after two epochs of uniform weights: selected on dev (a copy without the test posts, half of
     * dev as the test split), where a clean caption and image often match no better than a broken pair, so the loss
     * separated them with ROC AUC 0.73 and the agreement with 0.80; on the demo the loss separates well and stays.
     */
    private static final String TWITTER_SIGNAL = ", \"signal\": \"agreement\", \"history\": 0.8, \"warmup\": 2";
    private static final String FRACTIONS = "{\"labelFractions\": [0.01, 0.05, 0.1, 0.25, 1.0]}";

    private MamaBench() {}

    static void run(Path root) throws Exception {
        Path dir = root.resolve("bench/target/mama");
        Path work = dir.resolve("work");
        Files.createDirectories(dir);
        exec(root, work, "exec", "nmodal:demo --generate-only");
        Path demo = work.resolve("demo");
        // NMODAL_BENCH_MAMA=demo (or twitter1, mosi): only that data set's rows and curve
        String only = System.getenv().getOrDefault("NMODAL_BENCH_MAMA", "");
        Path twitter = only.isEmpty() || only.equals("twitter1")
                ? captionPosts(root.resolve("../shared/data/twitter1").normalize(), dir.resolve("twitter1-caption"))
                : dir.resolve("twitter1-caption");
        System.out.println("MAMA vs InfoNCE, noisy pairs (one modality of a training post replaced by another "
                + "post's), seed 7; R@k on the test posts");
        System.out.println(String.format(Locale.ROOT, "%-10s %-6s %-26s %8s %8s %8s %8s %9s %7s", "data", "noise",
                "method", "t->i R@1", "mean R@1", "mean R@5", "mean R@10", "w ROC AUC", "secs"));
        String demoBase = "\"data\": {\"format\": \"posts\", \"path\": \"" + demo + "\"}, \"encoders\": {\"text\": "
                + "\"minilm\", \"image\": \"image-classic\", \"video\": \"video-frames\"}, \"projection\": {\"dim\": 256, "
                + "\"dropout\": 0.1}, \"tasks\": [\"stance\"]";
        // the demo's head width and starting temperature, selected on dev (a copy without the test posts, 300
        // training posts as its test posts): 256-d heads starting at 0.15 retrieved better than 128-d at 0.07
        String demoTemperature = "0.15";
        String demoTrain = "\"epochs\": 150, \"batch\": 128, \"lr\": 0.001, \"weightDecay\": 0.001, \"patience\": 8, "
                + "\"seed\": 7";
        String twitterBase = "\"data\": {\"format\": \"posts\", \"path\": \"" + twitter + "\", \"allowPathsOutside\": "
                + "true}, \"encoders\": {\"text\": \"minilm\", \"image\": \"image-mobilenet\"}, \"projection\": "
                + "{\"dim\": 128, \"dropout\": 0.1}, \"tasks\": [\"agree5\"]";
        // selected on dev (a copy of the data with the test posts left out and the dev posts halved): at lr 1e-3
        // the heads stop after about 6 epochs, too few steps for the weight net to learn; the weight net's own
        // Adam step is 0.03 there (0.01 on the demo)
        String twitterTrain = "\"epochs\": 60, \"batch\": 64, \"lr\": 0.0003, \"weightDecay\": 0.001, \"patience\": 6, "
                + "\"seed\": 7";
        List<JsonObject> curves = new ArrayList<>();
        List<String> folds = new ArrayList<>();
        // per data set: the weight net's Adam step and the angular margin, selected on dev (margin 0.05 cost the demo
        // 3 to 5 points of mean R@1 against 0 or 0.02, with and without noise)
        // and the meta set: on Twitter I 200 of the 254 dev posts, selected on dev copies with a whole dev fold
        // (R@1 over InfoNCE +1.1, +2.0, +2.6, +1.7 points with 100, 150, 200, 240 meta posts; ROC AUC 0.82 to 0.85)
        for (String[] d : new String[][] {{"demo", demoBase, demoTrain, "0.01", "0.02", "100"}, {"twitter1",
                twitterBase, twitterTrain, "0.03", "0.05", "200"}}) {
            if (!only.isEmpty() && !only.equals(d[0])) {
                continue;
            }
            for (double noise : new double[] {0, 0.3}) {
                for (String method : List.of("infonce", "mama")) {
                    String t = d[0].equals("demo") ? demoTemperature : "0.07";
                    String loss = method.equals("infonce")
                            ? "{\"name\": \"nmodal-infonce\", \"temperature\": " + t + "}"
                            : "{\"name\": \"mama-angular\", \"margin\": " + d[4] + ", \"temperature\": " + t + "}, "
                                    + "\"reweighter\": "
                                    + "{\"name\": \"mama-metaweight\", \"metaPosts\": " + d[5] + ", \"lr\": " + d[3]
                                    + (d[0].equals("twitter1") ? TWITTER_SIGNAL : "") + "}";
                    boolean curve = noise == 0 && method.equals("infonce");
                    String id = d[0] + "-" + method + "-" + (int) Math.round(noise * 100);
                    String json = "{\"id\": \"" + id + "\", " + d[1] + ", \"loss\": " + loss + ", \"classifiers\": "
                            + (curve ? CLASSIFIERS : "[\"logistic\"]") + ", \"train\": {" + d[2] + ", \"noisyPairs\": "
                            + noise + "}" + (curve ? ", \"evaluate\": " + FRACTIONS : "") + "}";
                    long t0 = System.nanoTime();
                    JsonObject report = runPipeline(root, work, dir, id, json, null);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    double[] mean = meanRecall(report.getAsJsonArray("retrieval"));
                    double auc = Double.NaN;
                    if (report.has("robustness") && report.getAsJsonObject("robustness").has("weights")) {
                        JsonElement a = report.getAsJsonObject("robustness").getAsJsonObject("weights").get("rocAuc");
                        auc = a == null || a.isJsonNull() ? Double.NaN : a.getAsDouble();
                    }
                    System.out.println(String.format(Locale.ROOT, "%-10s %-6.1f %-26s %8.4f %8.4f %8.4f %8.4f %9s %7.0f",
                            d[0], noise, method.equals("mama") ? "mama-angular+metaweight" : "nmodal-infonce",
                            recall(report.getAsJsonArray("retrieval"), "text", "image"), mean[0], mean[1], mean[2],
                            Double.isNaN(auc) ? "-" : String.format(Locale.ROOT, "%.4f", auc), secs));
                    if (curve) {
                        curves.add(curve(d[0], report));
                    }
                    if (d[0].equals("twitter1")) {
                        // the data set's own protocol, as every other Twitter I figure: five folds (meta.fold), fold
                        // k tests, k+1 stops early and gives the meta set, the rest train; same settings and seed
                        String cv = json.replace("\"allowPathsOutside\": true}", "\"allowPathsOutside\": true, "
                                + "\"folds\": \"meta.fold\"}").replace("\"id\": \"" + id + "\"", "\"id\": \"" + id + "-5fold\"")
                                .replace(", \"evaluate\": " + FRACTIONS, "").replace(CLASSIFIERS, "[\"logistic\"]");
                        folds.addAll(foldRows(noise, method, runPipeline(root, work, dir, id + "-5fold", cv, null),
                                dir.resolve("runs/" + id + "-5fold")));
                    }
                }
            }
        }
        if (!folds.isEmpty()) {
            System.out.println("Twitter I, image <-> caption, five-fold cross-validation on meta.fold (every post a test "
                    + "post once); per fold and the mean over folds; R@k on the fold's test posts");
            System.out.println(String.format(Locale.ROOT, "%-6s %-26s %-5s %5s %8s %8s %8s %8s %9s", "noise", "method",
                    "fold", "test", "t->i R@1", "mean R@1", "mean R@5", "mean R@10", "w ROC AUC"));
            folds.forEach(System.out::println);
            // the bound on any sample weighting: the same folds with the broken share of each fold's training posts
            // left out instead of broken (a reweighter can at best give them weight zero)
            String body = twitterBase.substring(twitterBase.indexOf("\"encoders\"")) + ", \"loss\": {\"name\": "
                    + "\"nmodal-infonce\", \"temperature\": 0.07}, \"classifiers\": [\"logistic\"], \"train\": {"
                    + twitterTrain + "}";
            double[] oracle = PairOracle.run(twitter.resolve("posts.jsonl"), dir, "twitter1-oracle-30", body, 0.3, 7,
                    (id, json) -> runPipeline(root, work, dir, id, json, null));
            StringBuilder sb = new StringBuilder("oracle   nmodal-infonce, the 30 % broken training posts left out: "
                    + "mean R@1 per fold");
            for (int k = 0; k + 1 < oracle.length; k++) {
                sb.append(String.format(Locale.ROOT, " %.4f", oracle[k]));
            }
            System.out.println(sb.append(String.format(Locale.ROOT, ", mean %.4f (what a perfect reweighter reaches)",
                    oracle[oracle.length - 1])));
        }
        if (only.isEmpty() || only.equals("mosi")) {
            String mosi = Files.readString(root.resolve("pipelines/mosi.json"), StandardCharsets.UTF_8).trim();
            mosi = mosi.substring(0, mosi.lastIndexOf('}')) + ", \"evaluate\": " + FRACTIONS + "}";
            mosi = mosi.replace("\"id\": \"mosi\"", "\"id\": \"mosi-labels\"");
            curves.add(curve("mosi", runPipeline(root, work, dir, "mosi-labels", mosi,
                    root.resolve("../shared/data/mosi").normalize())));
        }
        System.out.println("label efficiency: test accuracy of the best classifier, all modalities, classifiers on a "
                + "seeded stratified fraction of the labelled training posts (heads on all of them)");
        for (JsonObject c : curves) {
            for (JsonElement e : c.getAsJsonArray("rows")) {
                System.out.println(e.getAsString());
            }
        }
    }

    /** One row per fold of a cross-validated run (from the folds' own reports) and one of the means over folds. */
    private static List<String> foldRows(double noise, String method, JsonObject cv, Path run) throws IOException {
        List<String> rows = new ArrayList<>();
        String name = method.equals("mama") ? "mama-angular+metaweight" : "nmodal-infonce";
        double[] sum = new double[5];
        int n = 0;
        for (JsonElement e : cv.getAsJsonObject("crossValidation").getAsJsonArray("perFold")) {
            JsonObject f = e.getAsJsonObject();
            JsonObject r = JsonParser.parseString(Files.readString(run.resolve(f.get("folder").getAsString())
                    .resolve("report.json"), StandardCharsets.UTF_8)).getAsJsonObject();
            double[] row = figures(r);
            for (int k = 0; k < 5; k++) {
                sum[k] += row[k];
            }
            n++;
            rows.add(row(noise, name, f.get("fold").getAsString(), f.get("testPosts").getAsInt(), row));
        }
        for (int k = 0; k < 5; k++) {
            sum[k] /= n;
        }
        double[] report = figures(cv);
        if (Math.abs(report[1] - sum[1]) > 1e-3) {
            throw new IllegalStateException("the cross-validated report's mean R@1 " + report[1] + " is not the mean "
                    + "over its folds " + sum[1]);
        }
        rows.add(row(noise, name, "mean", cv.getAsJsonObject("data").get("posts").getAsInt(), sum));
        return rows;
    }

    /** Text-to-image R@1, mean R@1/5/10 over ordered pairs, weights ROC AUC (NaN without) of one report. */
    private static double[] figures(JsonObject report) {
        double[] mean = meanRecall(report.getAsJsonArray("retrieval"));
        double auc = Double.NaN;
        if (report.has("robustness") && report.getAsJsonObject("robustness").has("weights")) {
            JsonElement a = report.getAsJsonObject("robustness").getAsJsonObject("weights").get("rocAuc");
            auc = a == null || a.isJsonNull() ? Double.NaN : a.getAsDouble();
        }
        return new double[] {recall(report.getAsJsonArray("retrieval"), "text", "image"), mean[0], mean[1], mean[2],
                auc};
    }

    private static String row(double noise, String method, String fold, int test, double[] f) {
        return String.format(Locale.ROOT, "%-6.1f %-26s %-5s %5d %8.4f %8.4f %8.4f %8.4f %9s", noise, method, fold,
                test, f[0], f[1], f[2], f[3], Double.isNaN(f[4]) ? "-" : String.format(Locale.ROOT, "%.4f", f[4]));
    }

    /** Twitter I with each post's caption as its text (the image stays where it is, named by absolute path). */
    static Path captionPosts(Path twitter, Path out) throws IOException {
        Path file = out.resolve("posts.jsonl");
        if (Files.isRegularFile(file)) {
            return out;
        }
        Files.createDirectories(out);
        Path tmp = Files.createTempFile(out, "posts", ".part");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (String line : Files.readAllLines(twitter.resolve("posts.jsonl"), StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject p = JsonParser.parseString(line).getAsJsonObject();
                JsonObject meta = p.getAsJsonObject("meta");
                if (meta != null && meta.has("caption")) {
                    p.addProperty("text", meta.get("caption").getAsString());
                }
                if (p.has("image")) {
                    p.addProperty("image", twitter.resolve(p.get("image").getAsString()).toString());
                }
                w.write(p.toString());
                w.write('\n');
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return out;
    }

    private static JsonObject runPipeline(Path root, Path work, Path dir, String id, String json, Path data)
            throws Exception {
        Path file = dir.resolve(id + ".json");
        Path out = dir.resolve("runs/" + id);
        Path done = out.resolve("report.json");
        // NMODAL_BENCH_REUSE=1: a run whose pipeline is unchanged and whose report exists is not repeated
        if ("1".equals(System.getenv("NMODAL_BENCH_REUSE")) && Files.isRegularFile(done) && Files.isRegularFile(file)
                && json.equals(Files.readString(file, StandardCharsets.UTF_8))) {
            return JsonParser.parseString(Files.readString(done, StandardCharsets.UTF_8)).getAsJsonObject();
        }
        Files.writeString(file, json, StandardCharsets.UTF_8);
        BootBench.deleteTree(out);
        List<String> args = new ArrayList<>(List.of("run", file.toString(), "--out", out.toString()));
        if (data != null) {
            args.addAll(List.of("--data", data.toString()));
        }
        exec(root, work, args.toArray(String[]::new));
        return JsonParser.parseString(Files.readString(out.resolve("report.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    /** Runs {@code runtime/nmodal <args>} with its own work folder, appending its output to bench.log beside it. */
    static void exec(Path root, Path work, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("runtime/nmodal").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("NMODAL_WORK", work.toString());
        Path log = work.resolveSibling("bench.log");
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", args) + " failed (see " + log + ")");
        }
    }

    private static double recall(JsonArray retrieval, String query, String target) {
        for (JsonElement e : retrieval) {
            JsonObject r = e.getAsJsonObject();
            if (r.get("query").getAsString().equals(query) && r.get("target").getAsString().equals(target)) {
                return r.get("r1").getAsDouble();
            }
        }
        return Double.NaN;
    }

    static double[] meanRecall(JsonArray retrieval) {
        double[] s = new double[3];
        int n = 0;
        for (JsonElement e : retrieval) {
            JsonObject r = e.getAsJsonObject();
            if (!r.get("target").getAsString().equals("*")) {
                s[0] += r.get("r1").getAsDouble();
                s[1] += r.get("r5").getAsDouble();
                s[2] += r.get("r10").getAsDouble();
                n++;
            }
        }
        for (int k = 0; k < 3; k++) {
            s[k] /= Math.max(1, n);
        }
        return s;
    }

    /** One line per task and fraction: raw and aligned accuracy and which is better. */
    private static JsonObject curve(String data, JsonObject report) {
        JsonArray rows = new JsonArray();
        JsonArray points = report.getAsJsonObject("labelEfficiency").getAsJsonArray("points");
        List<JsonObject> ps = new ArrayList<>();
        points.forEach(p -> ps.add(p.getAsJsonObject()));
        for (JsonObject raw : ps) {
            if (!raw.get("features").getAsString().equals("raw")) {
                continue;
            }
            for (JsonObject al : ps) {
                if (al.get("features").getAsString().equals("aligned") && al.get("task").equals(raw.get("task"))
                        && al.get("fraction").getAsDouble() == raw.get("fraction").getAsDouble()) {
                    double a = al.get("accuracy").getAsDouble();
                    double r = raw.get("accuracy").getAsDouble();
                    rows.add(String.format(Locale.ROOT, "%-8s %-8s fraction %-5s (%4d labelled)  raw %.4f (%s)  "
                            + "aligned %.4f (%s)  %s", data, raw.get("task").getAsString(),
                            raw.get("fraction").getAsString(), raw.get("labelled").getAsInt(), r,
                            raw.get("classifier").getAsString(), a, al.get("classifier").getAsString(),
                            a > r ? "aligned better" : a < r ? "raw better" : "equal"));
                }
            }
        }
        JsonObject o = new JsonObject();
        o.add("rows", rows);
        return o;
    }
}
