package org.nmodal.bench;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * CMU-MOSI through the real launcher: {@code runtime/nmodal run pipelines/mosi-transcript.json} (the three released
 * feature sets, the transcript through bge-small, video context, late fusion on), then the test accuracy of all four
 * modalities per feature kind (raw concatenated, aligned, late) and per classifier, beside the best single modality,
 * from its report. Skipped without {@code ../shared/data/mosi}.
 */
final class MosiBench {
    private MosiBench() {}

    static void run(Path root) throws Exception {
        if (!Bench.sharedData(root, "mosi/meta.csv", "mosi")) {
            return;
        }
        long t0 = System.nanoTime();
        JsonObject report = Bench.runPipeline(root, "pipelines/mosi-transcript.json", "mosi");
        List<String> all = List.of("text", "audio", "video", "transcript");
        System.out.printf(Locale.ROOT, "%nmosi: CMU-MOSI, label, test accuracy (runtime/nmodal run "
                + "pipelines/mosi-transcript.json, %.1f min; bc-LSTM about 0.80, MMMU-BA 0.8231)%n",
                (System.nanoTime() - t0) / 60e9);
        double single = 0;
        for (String m : all) {
            double[] raw = Bench.best(report, "label", "raw", List.of(m), null);
            System.out.printf(Locale.ROOT, "  %-28s raw %.4f%n", m + " alone", raw[0]);
            single = Math.max(single, raw[0]);
        }
        double best = 0;
        for (String kind : List.of("raw", "aligned", "late")) {
            StringBuilder each = new StringBuilder();
            for (String c : List.of("gaussian-nb", "random-forest", "linear-svm", "logistic")) {
                double a = Bench.best(report, "label", kind, all, c)[0];
                each.append(String.format(Locale.ROOT, "  %s %.4f", c, a));
                best = Math.max(best, a);
            }
            System.out.printf(Locale.ROOT, "  all four, %-17s%s%n", kind, each);
        }
        System.out.printf(Locale.ROOT, "  best with all four %.4f, best single %.4f%s%n", best, single,
                best >= 0.80 ? "  (goal >= 0.80 met)" : "  (goal: >= 0.80)");
    }
}
