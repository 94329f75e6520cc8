package org.nmodal.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nmodal.api.fusion.Fusion;
import org.nmodal.api.fusion.FusionStrategy;
import org.nmodal.djl.NoGrad;
import org.nmodal.djl.Tensors;

/**
 * Fuses aligned embeddings with a pipeline's fusion. A fusion with parameters (gated, cross-attention) first learns
 * them for the task with a linear softmax probe on the fitting posts; the probe is dropped and the learned weights
 * can be kept (a served model stores them) and set again.
 */
public final class FusionFitter {
    private FusionFitter() {}

    /** The fusion's inputs and settings. */
    public record Fusing(FusionStrategy strategy, Map<String, Object> settings, List<String> subset, int dim) {}

    /** Fuses without training anything (the map in the report; fusions without parameters). */
    public static float[][] fuse(Engine engine, Map<String, float[][]> aligned, Fusing f) {
        return fit(engine, aligned, f, null, null, 0, 0, null);
    }

    /**
     * Fuses every post's embeddings of {@code f.subset()}, learning the fusion's parameters first when it has any.
     *
     * @param trainRows rows the probe learns from, with their class indices {@code y}; null to learn nothing
     * @param learned receives the fusion's weights after learning, or null
     */
    public static float[][] fit(Engine engine, Map<String, float[][]> aligned, Fusing f, int[] trainRows, int[] y,
            int classes, long seed, List<float[][]> learned) {
        int n = aligned.get(f.subset().get(0)).length;
        try (NDManager manager = engine.newBaseManager()) {
            Fusion fusion = f.strategy().create(f.subset(), f.dim(), f.settings(), manager);
            if (!fusion.parameters().isEmpty() && trainRows != null && classes > 1 && trainRows.length > 1) {
                train(engine, manager, fusion, aligned, f, trainRows, y, classes);
            }
            if (learned != null) {
                learned.add(weights(fusion));
            }
            try (NDManager step = manager.newSubManager()) {
                float[] fused = fusion.fuse(Batches.build(step, f.subset(), aligned, Batches.all(n), m -> f.dim(), null,
                        false)).toFloatArray();
                return Batches.split(fused, n, fusion.outputDimension());
            }
        }
    }

    private static void train(Engine engine, NDManager manager, Fusion fusion, Map<String, float[][]> aligned,
            Fusing f, int[] rows, int[] y, int classes) {
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
        Batches.Resident in = new Batches.Resident(manager, f.subset(), aligned, m -> f.dim());
        NDArray target = manager.create(onehot, new Shape(rows.length, classes));
        for (int step = 0; step < 150; step++) {
            try (NDManager sub = manager.newSubManager()) {
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray logits = fusion.fuse(in.batch(sub, rows, null, false)).matMul(w).add(b);
                    gc.backward(Tensors.div(target.mul(logits.logSoftmax(1)).sum().neg(), rows.length));
                }
                adam.step(0.05, 1e-3);
                if (slow != null) {
                    slow.step(0.002, 1e-2);
                }
            }
        }
    }

    /** The learned values of a fusion's parameters, in order (none for concat and mean). */
    public static float[][] weights(Fusion f) {
        return f.parameters().stream().map(NDArray::toFloatArray).toArray(float[][]::new);
    }

    /** Sets a fusion's parameters to stored values, in {@link Fusion#parameters()} order. */
    public static void setWeights(Fusion f, float[][] weights) {
        List<NDArray> p = f.parameters();
        if (p.size() != weights.length) {
            throw new IllegalStateException("the fusion has " + p.size() + " parameter arrays, the model stores "
                    + weights.length);
        }
        try (NoGrad g = NoGrad.enter()) {
            for (int i = 0; i < weights.length; i++) {
                p.get(i).set(weights[i]);
            }
        }
    }
}
