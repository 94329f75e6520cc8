package org.nmodal.pipeline.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.classify.Evaluation;
import org.nmodal.api.classify.TrainedClassifier;
import org.nmodal.api.fusion.Fusion;
import org.nmodal.api.fusion.FusionStrategy;
import org.nmodal.djl.Tensors;
import ai.djl.training.GradientCollector;

/**
 * The ablation: for every task, every non-empty subset of modalities, both feature kinds ({@code raw}: the frozen
 * features concatenated; {@code aligned}: the fused projected embeddings) and every classifier, train on the train
 * split and score on the test split. Also cross-modal retrieval on the test split.
 */
final class Evaluator {
    /** One line of the results table. */
    record Result(String task, String classifier, String features, List<String> modalities, String split,
            double accuracy, double macroF1, int[][] confusion, List<String> classes, double seconds) {}

    /** Retrieval of one query modality against one target modality (or all others, {@code target = "*"}). */
    record Retrieval(String query, String target, String split, int candidates, double r1, double r5, double r10) {}

    interface Progress {
        void result(Result r, int done, int total);
    }

    static List<List<String>> subsets(List<String> modalities) {
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

    static List<Result> ablation(Engine engine, List<String> modalities, Map<String, float[][]> raw,
            Map<String, float[][]> aligned, int dim, FusionStrategy fusion, Map<String, DownstreamClassifier> classifiers,
            Map<String, String[]> labels, int[] train, int[] test, long seed, Progress progress) {
        List<List<String>> subsets = subsets(modalities);
        // raw features do not depend on the task: concatenate each subset once
        Map<List<String>, float[][]> rawBySubset = new HashMap<>();
        subsets.forEach(subset -> rawBySubset.put(subset, concat(raw, subset)));
        List<java.util.concurrent.Callable<Result>> jobs = new ArrayList<>();
        for (Map.Entry<String, String[]> task : labels.entrySet()) {
            // classes of train and test together: a label seen only in testing can never be predicted right
            TreeSet<String> all = new TreeSet<>(present(task.getValue(), train));
            all.addAll(present(task.getValue(), test));
            List<String> classes = new ArrayList<>(all);
            int[] trainRows = labelled(task.getValue(), train);
            int[] testRows = labelled(task.getValue(), test);
            int[] y = classIndex(task.getValue(), trainRows, classes);
            int[] yTest = classIndex(task.getValue(), testRows, classes);
            for (List<String> subset : subsets) {
                for (String kind : List.of("raw", "aligned")) {
                    float[][] x = kind.equals("raw") ? rawBySubset.get(subset)
                            : fuse(engine, aligned, subset, dim, fusion, trainRows, y, classes.size(), seed);
                    float[][] xTrain = rows(x, trainRows);
                    float[][] xTest = rows(x, testRows);
                    for (Map.Entry<String, DownstreamClassifier> c : classifiers.entrySet()) {
                        jobs.add(() -> {
                            long t0 = System.nanoTime();
                            TrainedClassifier model = c.getValue().train(xTrain, y, classes.size(), seed);
                            double[][] p = model.probabilities(xTest);
                            int[] predicted = new int[p.length];
                            for (int i = 0; i < p.length; i++) {
                                predicted[i] = argmax(p[i]);
                            }
                            Evaluation e = Evaluation.of(yTest, predicted, classes.size());
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
        try {
            List<java.util.concurrent.Future<Result>> futures = new ArrayList<>();
            jobs.forEach(j -> futures.add(pool.submit(j)));
            List<Result> results = new ArrayList<>();
            for (java.util.concurrent.Future<Result> f : futures) {
                results.add(f.get());
                if (progress != null) {
                    progress.result(results.get(results.size() - 1), results.size(), jobs.size());
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

    /** Recall at 1, 5 and 10 of finding a post's own target embedding from its query embedding, by cosine. */
    static List<Retrieval> retrieval(List<String> modalities, Map<String, float[][]> aligned, int[] rows) {
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

    static float[][] concat(Map<String, float[][]> features, List<String> subset) {
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

    /** Fuses without training anything (the map in the report; fusions without parameters). */
    static float[][] fuse(Engine engine, Map<String, float[][]> aligned, List<String> subset, int dim,
            FusionStrategy strategy) {
        return fuse(engine, aligned, subset, dim, strategy, null, null, 0, 0);
    }

    /**
     * Fuses every post's embeddings of a subset of modalities. A fusion with parameters (the gated one) first learns
     * them for the task: it is trained with a linear softmax probe on the training posts, and the probe is dropped.
     */
    static float[][] fuse(Engine engine, Map<String, float[][]> aligned, List<String> subset, int dim,
            FusionStrategy strategy, int[] trainRows, int[] y, int classes, long seed) {
        return fuse(engine, aligned, subset, dim, strategy, trainRows, y, classes, seed, null);
    }

    /** As above; {@code learned}, when given, receives the fusion's trained weights (a served model keeps them). */
    static float[][] fuse(Engine engine, Map<String, float[][]> aligned, List<String> subset, int dim,
            FusionStrategy strategy, int[] trainRows, int[] y, int classes, long seed, List<float[][]> learned) {
        int n = aligned.get(subset.get(0)).length;
        try (NDManager manager = engine.newBaseManager()) {
            Fusion fusion = strategy.create(subset, dim, Map.of(), manager);
            if (!fusion.parameters().isEmpty() && trainRows != null && classes > 1 && trainRows.length > 1) {
                trainFusion(engine, manager, fusion, aligned, subset, dim, trainRows, y, classes, seed);
            }
            if (learned != null) {
                learned.add(ModelVersion.weights(fusion));
            }
            int[] all = java.util.stream.IntStream.range(0, n).toArray();
            float[] fused;
            try (NDManager step = manager.newSubManager()) {
                fused = fusion.fuse(batch(step, aligned, subset, dim, all)).toFloatArray();
            }
            int out = fusion.outputDimension();
            float[][] rows = new float[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = Arrays.copyOfRange(fused, i * out, (i + 1) * out);
            }
            return rows;
        }
    }

    private static void trainFusion(Engine engine, NDManager manager, Fusion fusion, Map<String, float[][]> aligned,
            List<String> subset, int dim, int[] rows, int[] y, int classes, long seed) {
        int out = fusion.outputDimension();
        NDArray w = manager.zeros(new Shape(out, classes));
        NDArray b = manager.zeros(new Shape(classes));
        w.setRequiresGradient(true);
        b.setRequiresGradient(true);
        // a fusion's weight matrices (attention projections) learn slowly and decay, its gates and the probe fast:
        // with one rate for all, the matrices overfit the training posts within a few dozen full-batch steps
        List<NDArray> matrices = fusion.parameters().stream().filter(p -> p.getShape().dimension() > 1).toList();
        List<NDArray> params = new ArrayList<>(fusion.parameters().stream().filter(p -> p.getShape().dimension() <= 1)
                .toList());
        params.add(w);
        params.add(b);
        AdamW adam = new AdamW(manager, params, p -> p == w);
        AdamW slow = matrices.isEmpty() ? null : new AdamW(manager, matrices, p -> true);
        float[] onehot = new float[rows.length * classes];
        for (int k = 0; k < rows.length; k++) {
            onehot[k * classes + y[k]] = 1;
        }
        for (int step = 0; step < 150; step++) {
            try (NDManager sub = manager.newSubManager()) {
                NDArray target = sub.create(onehot, new Shape(rows.length, classes));
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray logits = fusion.fuse(batch(sub, aligned, subset, dim, rows)).matMul(w).add(b);
                    gc.backward(Tensors.div(target.mul(logits.logSoftmax(1)).sum().neg(), rows.length));
                }
                adam.step(0.05, 1e-3);
                if (slow != null) {
                    slow.step(0.002, 1e-2);
                }
            }
        }
    }

    /** Embeddings of the given posts for a subset of modalities, with the presence mask. */
    static ModalityBatch batch(NDManager manager, Map<String, float[][]> aligned, List<String> subset, int dim,
            int[] rows) {
        Map<String, NDArray> emb = new HashMap<>();
        float[] presence = new float[rows.length * subset.size()];
        for (int k = 0; k < subset.size(); k++) {
            float[][] x = aligned.get(subset.get(k));
            float[] flat = new float[rows.length * dim];
            for (int r = 0; r < rows.length; r++) {
                if (x[rows[r]] != null) {
                    System.arraycopy(x[rows[r]], 0, flat, r * dim, dim);
                    presence[r * subset.size() + k] = 1;
                }
            }
            emb.put(subset.get(k), manager.create(flat, new Shape(rows.length, dim)));
        }
        return new ModalityBatch(subset, emb, manager.create(presence, new Shape(rows.length, subset.size())));
    }

    static List<String> present(String[] labels, int[] rows) {
        List<String> out = new ArrayList<>();
        for (int i : rows) {
            if (labels[i] != null) {
                out.add(labels[i]);
            }
        }
        return out;
    }

    static int[] labelled(String[] labels, int[] rows) {
        return Arrays.stream(rows).filter(i -> labels[i] != null).toArray();
    }

    static int[] classIndex(String[] labels, int[] rows, List<String> classes) {
        int[] y = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            y[k] = classes.indexOf(labels[rows[k]]);
        }
        return y;
    }

    static float[][] rows(float[][] x, int[] idx) {
        float[][] out = new float[idx.length][];
        for (int k = 0; k < idx.length; k++) {
            out[k] = x[idx[k]];
        }
        return out;
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    static float[] unit(float[] v) {
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

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
