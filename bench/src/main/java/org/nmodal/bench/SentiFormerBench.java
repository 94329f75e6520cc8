package org.nmodal.bench;

import com.google.gson.JsonObject;
import java.nio.file.Path;
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
        if (!Bench.sharedData(root, "twitter1/posts.jsonl", "sentiformer")) {
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
            double[] image = Bench.best(report, task, "raw", List.of("image"), null);
            double[] caption = Bench.best(report, task, "raw", List.of("caption"), null);
            double[] concat = Bench.best(report, task, "raw", List.of("image", "caption"), null);
            double[] fused = Bench.best(report, task, "fused", List.of("image", "caption"), null);
            double single = Math.max(image[0], caption[0]);
            System.out.printf(Locale.ROOT, "  %-7s %-22s %-22s %-22s %-22s %+.1f / %+.1f points%s%n", task, cell(image),
                    cell(caption), cell(concat), cell(fused), 100 * (fused[0] - single), 100 * (fused[0] - concat[0]),
                    fused[0] - single >= 0.02 && fused[0] >= concat[0] ? "  (goal met)" : "  (goal: +2.0 / >= 0)");
        }
    }

    private static String cell(double[] v) {
        return String.format(Locale.ROOT, "%.4f ± %.4f", v[0], v[1]);
    }
}
