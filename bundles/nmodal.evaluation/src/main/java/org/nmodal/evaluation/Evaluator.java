package org.nmodal.evaluation;

import org.nmodal.api.pipeline.SubsetRule;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.classify.Evaluation;
import org.nmodal.api.classify.TrainedClassifier;
import org.nmodal.api.fusion.FusionStrategy;
import org.nmodal.fusion.late.LateFusion;
import org.nmodal.training.Batches;
import org.nmodal.training.FusionFitter;
import org.nmodal.training.Rows;
import org.nmodal.training.TaskLabels;

/**
 * The ablation: for every task, every modality subset a pipeline's {@link SubsetRule} chose, both feature kinds ({@code raw}: the frozen
 * features concatenated; {@code aligned}: the fused projected embeddings) and every classifier, train on the train
 * split and score on the test split. Also cross-modal retrieval on the test split.
 */
public final class Evaluator {
    private Evaluator() {}

    /** One line of the results table. */
    public record Result(String task, String classifier, String features, List<String> modalities, String split,
            double accuracy, double macroF1, int[][] confusion, List<String> classes, double seconds) {}

    /** A late-fusion row of the ablation to fill in once its per-modality fits are done. */
    private record LateRow(String task, String classifier, List<String> subset, TaskLabels labels) {}

    /** Retrieval of one query modality against one target modality (or all others, {@code target = "*"}). */
    public record Retrieval(String query, String target, String split, int candidates, double r1, double r5, double r10) {}

    /** Told as results come in. */
    public interface Progress {
        /** {@code done} of {@code total} fits finished (told in job order). */
        void result(Result r, int done, int total);

        /** Before the first fit: how many fits there are and how many run at once. */
        default void start(int total, int threads) {}
    }

    /** Every non-empty subset of the modalities, smallest first. */
    public static List<List<String>> subsets(List<String> modalities) {
        List<List<String>> out = new ArrayList<>();
        int n = modalities.size();
        for (int mask = 1; mask < (1 << n); mask++) {
            List<String> s = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if ((mask & (1 << i)) != 0) {
                    s.add(modalities.get(i));
                }
            }
            out.add(s);
        }
        out.sort((a, b) -> a.size() != b.size() ? a.size() - b.size() : 0);
        return out;
    }

    /**
     * The ablation: every task, subset, feature kind and classifier, fitted on {@code train} and scored on
     * {@code test}.
     *
     * @param fusion the pipeline's fusion and its settings (its subset and width are set per subset)
     */
    public static List<Result> ablation(Engine engine, List<String> modalities, Map<String, float[][]> raw,
            Map<String, float[][]> aligned, int dim, FusionStrategy fusion, Map<String, Object> fusionSettings,
            Map<String, DownstreamClassifier> classifiers, Map<String, String[]> labels, int[] train, int[] test,
            long seed, Progress progress) {
        return ablation(engine, new SubsetRule.Chosen("every", subsets(modalities)), raw, aligned, dim, fusion,
                fusionSettings, classifiers, labels, train, test, seed, progress);
    }

    /**
     * The ablation over the subsets a pipeline's {@link SubsetRule} chose: every task, chosen subset, feature kind
     * and classifier, fitted on {@code train} and scored on {@code test}.
     *
     * @since 1.2
     */
    public static List<Result> ablation(Engine engine, SubsetRule.Chosen chosen, Map<String, float[][]> raw,
            Map<String, float[][]> aligned, int dim, FusionStrategy fusion, Map<String, Object> fusionSettings,
            Map<String, DownstreamClassifier> classifiers, Map<String, String[]> labels, int[] train, int[] test,
            long seed, Progress progress) {
        return ablation(engine, chosen, raw, aligned, dim, fusion, fusionSettings, classifiers, labels, train, test,
                seed, false, progress);
    }

    /**
     * The ablation over the chosen subsets, with late fusion too when {@code late} is set: for every subset of two or
     * more modalities and every classifier, a row of feature kind {@code late} (each modality's raw features
     * classified alone, the class probabilities of the modalities a post has averaged).
     *
     * @since 1.4
     */
    public static List<Result> ablation(Engine engine, SubsetRule.Chosen chosen, Map<String, float[][]> raw,
            Map<String, float[][]> aligned, int dim, FusionStrategy fusion, Map<String, Object> fusionSettings,
            Map<String, DownstreamClassifier> classifiers, Map<String, String[]> labels, int[] train, int[] test,
            long seed, boolean late, Progress progress) {
        List<List<String>> subsets = chosen.subsets();
        // late fusion: one fit per task, classifier and modality, shared by every subset holding that modality
        Map<List<String>, java.util.concurrent.Callable<LateFusion.Fit>> lateFits = new java.util.LinkedHashMap<>();
        List<LateRow> lateRows = new ArrayList<>();
        // raw features do not depend on the task: concatenate each subset once
        Map<List<String>, float[][]> rawBySubset = new HashMap<>();
        subsets.forEach(subset -> rawBySubset.put(subset, concat(raw, subset)));
        List<java.util.concurrent.Callable<Result>> jobs = new ArrayList<>();
        for (Map.Entry<String, String[]> task : labels.entrySet()) {
            TaskLabels t = TaskLabels.of(task.getValue(), train, test);
            List<String> classes = t.classes();
            int[] trainRows = t.fitRows();
            int[] testRows = t.testRows();
            int[] y = t.yFit();
            int[] yTest = t.yTest();
            for (List<String> subset : subsets) {
                if (!late || subset.size() < 2) {
                    continue;
                }
                for (Map.Entry<String, DownstreamClassifier> c : classifiers.entrySet()) {
                    lateRows.add(new LateRow(task.getKey(), c.getKey(), subset, t));
                    subset.forEach(m -> lateFits.putIfAbsent(List.of(task.getKey(), c.getKey(), m), () -> LateFusion
                            .fit(c.getValue(), raw.get(m), trainRows, y, classes.size(), testRows, seed)));
                }
            }
            for (List<String> subset : subsets) {
                if (fusion instanceof org.nmodal.api.fusion.SupervisedFusionStrategy sup && subset.size() > 1) {
                    // the fusion learns from the labels itself, on the frozen features, and is scored by its own head;
                    // a single stream has nothing to fuse and is left to the classifiers
                    jobs.add(() -> {
                        long t0 = System.nanoTime();
                        float[][] p = org.nmodal.training.SupervisedFitter.fit(engine, sup, fusionSettings, subset, raw,
                                trainRows, y, classes.size(), seed, testRows).probabilities();
                        int[] predicted = new int[p.length];
                        for (int i = 0; i < p.length; i++) {
                            predicted[i] = argmax(p[i]);
                        }
                        Evaluation e = Evaluation.of(yTest, predicted, classes.size());
                        return new Result(task.getKey(), sup.name(), "fused", subset, "test", e.accuracy(), e.macroF1(),
                                e.confusion(), classes, (System.nanoTime() - t0) / 1e9);
                    });
                }
                for (String kind : List.of("raw", "aligned")) {
                    float[][] x = kind.equals("raw") ? rawBySubset.get(subset)
                            : FusionFitter.fit(engine, aligned, new FusionFitter.Fusing(fusion, fusionSettings, subset, dim),
                                    trainRows, y, classes.size(), seed, null);
                    float[][] xTrain = Batches.rows(x, trainRows);
                    float[][] xTest = Batches.rows(x, testRows);
                    for (Map.Entry<String, DownstreamClassifier> c : classifiers.entrySet()) {
                        jobs.add(() -> {
                            long t0 = System.nanoTime();
                            Evaluation e = fitAndScore(c.getValue(), xTrain, y, xTest, yTest, classes.size(), seed)
                                    .evaluation();
                            return new Result(task.getKey(), c.getKey(), kind, subset, "test", e.accuracy(),
                                    e.macroF1(), e.confusion(), classes, (System.nanoTime() - t0) / 1e9);
                        });
                    }
                }
            }
        }
        // the fits are independent: spread them over the cores, keep the results in job order
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        int total = jobs.size() + lateRows.size();
        if (progress != null) {
            progress.start(total, threads);
        }
        try {
            Map<List<String>, java.util.concurrent.Future<LateFusion.Fit>> lateFutures = new HashMap<>();
            lateFits.forEach((k, j) -> lateFutures.put(k, pool.submit(j)));
            List<java.util.concurrent.Future<Result>> futures = new ArrayList<>();
            jobs.forEach(j -> futures.add(pool.submit(j)));
            List<Result> results = new ArrayList<>();
            for (java.util.concurrent.Future<Result> f : futures) {
                results.add(f.get());
                if (progress != null) {
                    progress.result(results.get(results.size() - 1), results.size(), total);
                }
            }
            for (LateRow row : lateRows) {
                TaskLabels t = row.labels();
                List<LateFusion.Fit> each = new ArrayList<>();
                for (String m : row.subset()) {
                    each.add(lateFutures.get(List.of(row.task(), row.classifier(), m)).get());
                }
                Evaluation e = Evaluation.of(t.yTest(), LateFusion.predict(each, t.yFit(), t.classes().size()),
                        t.classes().size());
                results.add(new Result(row.task(), row.classifier(), "late", row.subset(), "test", e.accuracy(),
                        e.macroF1(), e.confusion(), t.classes(), each.stream().mapToDouble(LateFusion.Fit::seconds).sum()));
                if (progress != null) {
                    progress.result(results.get(results.size() - 1), results.size(), total);
                }
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new IllegalStateException(c.getMessage(), c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Recall at 1, 5 and 10 of every ordered modality pair (and each modality against all others). */
    public static List<Retrieval> retrieval(List<String> modalities, Map<String, float[][]> aligned, int[] rows) {
        List<Retrieval> out = new ArrayList<>();
        for (String q : modalities) {
            for (String t : modalities) {
                if (!q.equals(t)) {
                    out.add(retrieve(q, List.of(t), t, aligned, rows));
                }
            }
            if (modalities.size() > 2) {
                List<String> others = modalities.stream().filter(m -> !m.equals(q)).toList();
                out.add(retrieve(q, others, "*", aligned, rows));
            }
        }
        return out;
    }

    private static Retrieval retrieve(String q, List<String> targets, String label, Map<String, float[][]> aligned,
            int[] rows) {
        float[][] query = aligned.get(q);
        List<Integer> keep = new ArrayList<>();
        for (int i : rows) {
            boolean all = query[i] != null;
            for (String t : targets) {
                all &= aligned.get(t)[i] != null;
            }
            if (all) {
                keep.add(i);
            }
        }
        int n = keep.size();
        int[] hits = new int[3];
        int[] ks = {1, 5, 10};
        List<float[][]> units = new ArrayList<>();
        for (String t : targets) {
            float[][] u = new float[n][];
            for (int b = 0; b < n; b++) {
                u[b] = unit(aligned.get(t)[keep.get(b)]);
            }
            units.add(u);
        }
        for (int a = 0; a < n; a++) {
            float[] qa = unit(query[keep.get(a)]);
            double[] score = new double[n];
            for (float[][] target : units) {
                for (int b = 0; b < n; b++) {
                    score[b] += dot(qa, target[b]);
                }
            }
            int rank = 0;
            for (int b = 0; b < n; b++) {
                if (b != a && score[b] > score[a]) {
                    rank++;
                }
            }
            for (int k = 0; k < 3; k++) {
                hits[k] += rank < ks[k] ? 1 : 0;
            }
        }
        return new Retrieval(q, label, "test", n, n == 0 ? 0 : hits[0] / (double) n, n == 0 ? 0 : hits[1] / (double) n,
                n == 0 ? 0 : hits[2] / (double) n);
    }

    /** The subset's vectors side by side (zeros where a post lacks one). */
    public static float[][] concat(Map<String, float[][]> features, List<String> subset) {
        int n = features.get(subset.get(0)).length;
        int width = 0;
        int[] dims = new int[subset.size()];
        for (int k = 0; k < subset.size(); k++) {
            dims[k] = Math.max(0, Rows.width(features.get(subset.get(k))));
            width += dims[k];
        }
        float[][] out = new float[n][width];
        for (int i = 0; i < n; i++) {
            int off = 0;
            for (int k = 0; k < subset.size(); k++) {
                float[] row = features.get(subset.get(k))[i];
                if (row != null) {
                    System.arraycopy(row, 0, out[i], off, dims[k]);
                }
                off += dims[k];
            }
        }
        return out;
    }

    /** A classifier fitted on one task's fitting rows, and its scores on the test rows (null without any). */
    public record Fitted(TrainedClassifier model, Evaluation evaluation) {}

    /** Fits a classifier and scores it on the test rows; the one place both the ablation and serving do it. */
    public static Fitted fitAndScore(DownstreamClassifier classifier, float[][] xFit, int[] yFit, float[][] xTest,
            int[] yTest, int classes, long seed) {
        TrainedClassifier model = classifier.train(xFit, yFit, classes, seed);
        if (xTest.length == 0) {
            return new Fitted(model, null);
        }
        double[][] p = model.probabilities(xTest);
        int[] predicted = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            predicted[i] = argmax(p[i]);
        }
        return new Fitted(model, Evaluation.of(yTest, predicted, classes));
    }

    /** Index of the largest value (the first on ties). */
    public static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Index of the largest value (the first on ties). */
    public static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The vector scaled to length 1. */
    public static float[] unit(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        float inv = (float) (1 / Math.max(Math.sqrt(s), 1e-12));
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] * inv;
        }
        return u;
    }

    /** Dot product. */
    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
