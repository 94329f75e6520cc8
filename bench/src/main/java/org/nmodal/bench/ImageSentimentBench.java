package org.nmodal.bench;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Twitter I image sentiment, 5-fold cross-validation, image only, through the real launcher: {@code runtime/nmodal run
 * pipelines/twitter1-image-mobilenet.json} and {@code ...-classic.json} in the same run; per agreement level the mean ±
 * sd of test accuracy of each encoder (best classifier by mean, raw features) and the difference. Skipped without
 * {@code ../shared/data/twitter1}.
 */
final class ImageSentimentBench {
    private ImageSentimentBench() {}

    static void run(Path root) throws Exception {
        if (!Bench.sharedData(root, "twitter1/posts.jsonl", "twitter1-image")) {
            return;
        }
        long t0 = System.nanoTime();
        JsonObject neural = Bench.runPipeline(root, "pipelines/twitter1-image-mobilenet.json", "twitter1-mobilenet");
        JsonObject classic = Bench.runPipeline(root, "pipelines/twitter1-image-classic.json", "twitter1-classic");
        System.out.printf(Locale.ROOT, "%ntwitter1-image: Twitter I, image only, 5-fold cross-validation, mean ± sd of "
                + "test accuracy, best classifier (%.1f min; published 5-agree: CNN 0.722, PCNN 0.773)%n",
                (System.nanoTime() - t0) / 60e9);
        System.out.printf(Locale.ROOT, "  %-7s %-22s %-22s %s%n", "task", "image-mobilenet", "image-classic",
                "difference");
        for (String task : List.of("agree5", "agree4", "agree3")) {
            double[] n = Bench.best(neural, task, "raw", List.of("image"), null);
            double[] c = Bench.best(classic, task, "raw", List.of("image"), null);
            System.out.printf(Locale.ROOT, "  %-7s %.4f ± %.4f       %.4f ± %.4f       %+.1f points%s%n", task, n[0], n[1],
                    c[0], c[1], 100 * (n[0] - c[0]), !task.equals("agree5") ? ""
                            : n[0] >= 0.78 && n[0] - c[0] >= 0.03 ? "  (goal >= 0.78 and +3 met)"
                            : "  (goal: >= 0.78 and +3)");
        }
    }
}
