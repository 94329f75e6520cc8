package org.nmodal.evaluation;

import org.nmodal.api.pipeline.SubsetRule;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Progress lines of an ablation while it runs: fits done of all, the last fit's task, subset (k of n), feature kind
 * and classifier, time so far and an estimate of the rest; at most one line per interval, and always the last.
 */
public final class AblationProgress implements Evaluator.Progress {
    private final String prefix;
    private final List<List<String>> subsets;
    private final double interval;
    private final Consumer<String> lines;
    private final long start = System.nanoTime();
    private double lastLine = Double.NEGATIVE_INFINITY;

    /**
     * @param prefix put before every line (for example {@code "fold 2/5: "}), or ""
     * @param modalities the ablation's modalities (to number the subsets)
     * @param intervalSeconds the least time between two lines (0: a line per fit)
     * @param lines where the lines go
     */
    public AblationProgress(String prefix, List<String> modalities, double intervalSeconds, Consumer<String> lines) {
        this(prefix, new SubsetRule.Chosen("every", Evaluator.subsets(modalities)), intervalSeconds, lines);
    }

    /**
     * @param prefix put before every line (for example {@code "fold 2/5: "}), or ""
     * @param chosen the ablation's subsets (to number them)
     * @param intervalSeconds the least time between two lines (0: a line per fit)
     * @param lines where the lines go
     */
    public AblationProgress(String prefix, SubsetRule.Chosen chosen, double intervalSeconds, Consumer<String> lines) {
        this.prefix = prefix;
        this.subsets = chosen.subsets();
        this.interval = intervalSeconds;
        this.lines = lines;
    }

    @Override
    public void start(int total, int threads) {
        lines.accept(String.format(Locale.ROOT, "%sevaluating: %d results (%d subset(s) x feature kinds x "
                + "classifiers x tasks) on %d thread(s)", prefix, total, subsets.size(), threads));
    }

    @Override
    public void result(Evaluator.Result r, int done, int total) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (done < total && elapsed - lastLine < interval) {
            return;
        }
        lastLine = elapsed;
        lines.accept(line(r, done, total, elapsed));
    }

    /** The line for a finished fit, {@code elapsed} seconds into the ablation. */
    String line(Evaluator.Result r, int done, int total, double elapsed) {
        int k = subsets.indexOf(r.modalities()) + 1;
        String eta = done >= total ? "done" : String.format(Locale.ROOT, "eta %.0f s", elapsed / done * (total - done));
        return String.format(Locale.ROOT, "%sevaluating %d/%d: task %s, subset %d of %d (%s), %s, %s (%.1f s); "
                + "%.0f s so far, %s", prefix, done, total, r.task(), k, subsets.size(), String.join("+",
                        r.modalities()), r.features(), r.classifier(), r.seconds(), elapsed, eta);
    }
}
