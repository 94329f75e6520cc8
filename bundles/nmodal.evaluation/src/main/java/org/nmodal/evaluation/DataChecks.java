package org.nmodal.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.pipeline.PipelineSpec;
import org.nmodal.data.FeatureSet;

/**
 * What a data set must hold before minutes of training are spent on it: labels for every task, two classes to tell
 * apart, test posts to score on. Where nothing meaningful can be computed the run stops with one line (exit 2);
 * where one task cannot be scored the others go on and the report says why (a warning).
 */
public final class DataChecks {
    private DataChecks() {}

    /**
     * The tasks that can be learned and scored.
     *
     * @param fit the posts classifiers are fitted on
     * @param test the posts they are scored on; null in a cross-validation (every fold is tested once)
     */
    public static List<String> tasks(PipelineSpec spec, FeatureSet set, int[] fit, int[] test,
            Consumer<String> log) {
        String where = spec.file().getFileName() + ": ";
        if (test != null && test.length == 0) {
            throw new InvalidInputException(where + "the data has no test posts (" + (spec.dataFormat().equals("posts")
                    ? "\"split\": \"test\" in posts.jsonl" : "'test' in the column " + spec.splitColumn())
                    + "), so nothing can be scored; mark some posts as test, or cross-validate with data.folds");
        }
        List<String> kept = new ArrayList<>();
        String firstReason = null;
        for (String task : spec.tasks()) {
            String[] labels = set.labels(task);
            if (Arrays.stream(labels).allMatch(Objects::isNull)) {
                throw new InvalidInputException(where + "tasks: no post has a label for '" + task + "'" + seen(set));
            }
            TreeSet<String> fitClasses = classes(labels, fit);
            long fitLabelled = Arrays.stream(fit).filter(i -> labels[i] != null).count();
            String reason = null;
            if (fitLabelled < 2) {
                reason = "task '" + task + "': " + fitLabelled + " labelled training post(s); at least 2 are needed";
            } else if (fitClasses.size() < 2) {
                reason = "task '" + task + "': every labelled training post has the class '" + fitClasses.first()
                        + "'; with one class there is nothing to learn";
            } else if (test != null && Arrays.stream(test).allMatch(i -> labels[i] == null)) {
                reason = "task '" + task + "': no test post has a label, so it cannot be scored";
            }
            if (reason != null) {
                firstReason = firstReason == null ? reason : firstReason;
                set.warn(reason + "; the task is left out");
                log.accept("warning: " + reason + "; the task is left out");
                continue;
            }
            TreeSet<String> testClasses = test == null ? fitClasses : classes(labels, test);
            if (testClasses.size() == 1) {
                String w = "task '" + task + "': every labelled test post has the class '" + testClasses.first()
                        + "'; its accuracy says little";
                set.warn(w);
                log.accept("warning: " + w);
            }
            kept.add(task);
        }
        if (kept.isEmpty() && firstReason != null) { // no tasks at all is a recommend-only pipeline
            throw new InvalidInputException(where + firstReason + " (no task is left to learn)");
        }
        return kept;
    }

    /**
     * The modalities at least two training posts have (one vector can be neither standardised nor
     * contrasted); the others are left out with a warning.
     */
    public static List<String> modalities(PipelineSpec spec, FeatureSet set, int[] train, Consumer<String> log) {
        List<String> kept = new ArrayList<>();
        for (String m : spec.modalities()) {
            float[][] x = set.features(m);
            long have = Arrays.stream(train).filter(i -> x[i] != null).count();
            if (have < 2) {
                String w = m + ": only " + have + " training post(s) have it (at least 2 are needed); the run goes on "
                        + "without " + m;
                set.warn(w);
                log.accept("warning: " + w);
            } else {
                kept.add(m);
            }
        }
        if (kept.isEmpty()) {
            throw new InvalidInputException(spec.file().getFileName() + ": no modality is present in 2 training posts "
                    + "(" + set.warnings().get(set.warnings().size() - 1) + ")");
        }
        return kept;
    }

    /**
     * Whether the heads can learn: a contrastive loss needs training posts that share two modalities. When fewer than
     * two do, the heads stay as initialised and the report says so.
     */
    public static boolean contrastable(PipelineSpec spec, FeatureSet set, int[] train, Consumer<String> log) {
        if (spec.modalities().size() < 2) {
            return true; // the trainer knows one modality trains nothing, and the run log says it
        }
        long pairs = Arrays.stream(train).filter(i -> spec.modalities().stream()
                .filter(m -> set.features(m)[i] != null).count() >= 2).count();
        if (pairs >= 2) {
            return true;
        }
        String w = "only " + pairs + " training post(s) have two modalities or more: the projection heads are not "
                + "trained (aligned features are the initial projections)";
        set.warn(w);
        log.accept("warning: " + w);
        return false;
    }

    private static TreeSet<String> classes(String[] labels, int[] rows) {
        TreeSet<String> c = new TreeSet<>();
        for (int i : rows) {
            if (labels[i] != null) {
                c.add(labels[i]);
            }
        }
        return c;
    }

    private static String seen(FeatureSet set) {
        List<String> others = set.tasks().stream()
                .filter(t -> Arrays.stream(set.labels(t)).anyMatch(Objects::nonNull)).toList();
        return set.labelKeys().isEmpty() ? (others.isEmpty() ? "" : " (tasks with labels: "
                + String.join(", ", others) + ")") : " (labels in the data: " + String.join(", ", set.labelKeys()) + ")";
    }
}
