package org.nmodal.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Twitter I, 5-fold cross-validation, through the real launcher: {@code runtime/nmodal run
 * pipelines/twitter1-sentiformer.json} (the image through image-mobilenet, the caption {@code meta.caption} through
 * bge-small via the caption adapter), then, per agreement level, four numbers side by side from its report: image
 * only, caption only, both concatenated (each the better of logistic regression and the linear SVM on the frozen
 * features, by mean test accuracy) and the sentiformer fusion of both, trained with the labels and scored by its own
 * head. Choosing the baselines' classifier by test accuracy favours them, not the fusion. Skipped without
 * {@code ../shared/data/twitter1}.
 */
final class SentiFormerBench {
    private SentiFormerBench() {}

    static void run(Path root) throws Exception {
        Path data = root.resolve("../shared/data/twitter1").normalize();
        if (!Files.isRegularFile(data.resolve("posts.jsonl"))) {
            System.out.println("sentiformer: skipped, no " + data);
            return;
        }
        long t0 = System.nanoTime();
        JsonObject report = Bench.runPipeline(root, "pipelines/twitter1-sentiformer.json", "sentiformer");
        double minutes = (System.nanoTime() - t0) / 60e9;
        System.out.println();
        System.out.printf(Locale.ROOT, "sentiformer: Twitter I, 5-fold cross-validation, mean ± sd of test accuracy "
                + "(runtime/nmodal run pipelines/twitter1-sentiformer.json, %.1f min)%n", minutes);
        System.out.printf(Locale.ROOT, "  %-7s %-22s %-22s %-22s %-22s %s%n", "task", "image only", "caption only",
                "concat", "sentiformer", "vs best single / vs concat");
        for (String task : List.of("agree5", "agree4", "agree3")) {
            double[] image = best(report, task, "raw", List.of("image"));
            double[] caption = best(report, task, "raw", List.of("caption"));
            double[] concat = best(report, task, "raw", List.of("image", "caption"));
            double[] fused = best(report, task, "fused", List.of("image", "caption"));
            double single = Math.max(image[0], caption[0]);
            System.out.printf(Locale.ROOT, "  %-7s %-22s %-22s %-22s %-22s %+.1f / %+.1f points%s%n", task, cell(image),
                    cell(caption), cell(concat), cell(fused), 100 * (fused[0] - single), 100 * (fused[0] - concat[0]),
                    fused[0] - single >= 0.02 && fused[0] >= concat[0] ? "  (goal met)" : "  (goal: +2.0 / >= 0)");
        }
    }

    /** The best mean accuracy (and its sd) of a task, feature kind and subset over the classifiers. */
    static double[] best(JsonObject report, String task, String kind, List<String> subset) {
        double[] top = {Double.NaN, Double.NaN};
        for (JsonElement e : report.getAsJsonArray("results")) {
            JsonObject r = e.getAsJsonObject();
            List<String> mods = new ArrayList<>();
            r.getAsJsonArray("modalities").forEach(m -> mods.add(m.getAsString()));
            if (r.get("task").getAsString().equals(task) && r.get("features").getAsString().equals(kind)
                    && mods.equals(subset) && !(r.get("accuracy").getAsDouble() <= top[0])) {
                top[0] = r.get("accuracy").getAsDouble();
                top[1] = r.has("accuracySd") ? r.get("accuracySd").getAsDouble() : Double.NaN;
            }
        }
        return top;
    }

    private static String cell(double[] v) {
        return String.format(Locale.ROOT, "%.4f ± %.4f", v[0], v[1]);
    }
}
