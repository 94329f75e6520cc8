package org.nmodal.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.pipeline.EpochStat;
import org.nmodal.api.loss.LossFunction;
import org.nmodal.djl.NoGrad;

/**
 * Trains one projection head per modality with an N-modal loss: AdamW with weight decay on the matrices, the
 * learning rate halved after two epochs without a better dev loss, early stopping after {@code patience} such
 * epochs, the best weights kept. A checkpoint of the best weights is written each epoch (temporary file, then
 * move). A hand-written loop, because a multi-input contrastive loss fits DJL's Trainer poorly.
 */
public final class HeadTrainer {
    /** One epoch's numbers. */
    /** Told after every epoch. */
    public interface Progress {
        /** One epoch done; {@code etaSeconds} estimates the rest. */
        void epoch(EpochStat e, int maxEpochs, double etaSeconds);
    }

    /** Trained heads' output; {@code recoveries} counts steps skipped or undone because a value was not finite. */
    public record Result(Map<String, float[][]> aligned, List<EpochStat> history, int bestEpoch, double seconds, int recoveries,
            Map<String, float[][]> weights) {}

    private final Engine engine;
    private final List<String> modalities;
    private final Map<String, float[][]> inputs; // standardised, null rows for missing
    private final int dim;
    private final float dropout;
    private final Map<String, Integer> widths = new HashMap<>();
    private final Map<String, float[][]> frozen;

    /** A trainer of every modality's head; {@code inputs} are standardised, with null rows for missing ones. */
    public HeadTrainer(Engine engine, List<String> modalities, Map<String, float[][]> inputs, int dim, double dropout) {
        this(engine, modalities, inputs, dim, dropout, Map.of());
    }

    /**
     * A trainer in which the heads of some modalities are fixed: their weights ({@link ProjectionHead#parameters()}
     * order) are given and never change, and only the other heads learn. With the old heads frozen, the loss terms
     * between two old modalities are constants, so the gradient comes only from the pairs with a new modality.
     */
    public HeadTrainer(Engine engine, List<String> modalities, Map<String, float[][]> inputs, int dim, double dropout,
            Map<String, float[][]> frozen) {
        this.frozen = frozen;
        this.engine = engine;
        this.modalities = modalities;
        this.inputs = inputs;
        this.dim = dim;
        this.dropout = (float) dropout;
        for (String m : modalities) {
            int w = Rows.width(inputs.get(m));
            if (w < 0) {
                throw new IllegalArgumentException("modality '" + m + "' has no vectors at all");
            }
            widths.put(m, w);
        }
    }

    /** Builds the loss on the training's manager (a loss may hold learnable parameters). */
    public interface LossFactory {
        /** The loss, its arrays attached to {@code manager}. */
        LossFunction create(NDManager manager);
    }

    /**
     * Trains the heads; the best weights (by dev loss) are kept, written to {@code checkpoint} (if not null) every
     * epoch, and returned with every post's aligned embedding.
     */
    public Result train(int[] trainRows, int[] devRows, LossFactory lossFactory, int epochs, int batchSize, double lr0,
            double weightDecay, int patience, long seed, Path checkpoint, Progress progress) throws IOException {
        return train(trainRows, devRows, lossFactory, epochs, batchSize, lr0, weightDecay, patience, seed, checkpoint,
                false, progress);
    }

    /**
     * As {@link #train(int[], int[], LossFactory, int, int, double, double, int, long, Path, Progress)}; beside the
     * checkpoint the whole training state (weights, optimiser moments, learning rate, early-stopping counters, epoch
     * history) is written each epoch to {@link #stateFile(Path)}. With {@code resume}, a state found there is loaded
     * and training goes on after its last epoch, with the same result as a run never interrupted: the shuffling is
     * replayed and the engine's random source (dropout) is seeded afresh at the start of each epoch.
     */
    public Result train(int[] trainRows, int[] devRows, LossFactory lossFactory, int epochs, int batchSize, double lr0,
            double weightDecay, int patience, long seed, Path checkpoint, boolean resume, Progress progress)
            throws IOException {
        long t0 = System.nanoTime();
        engine.setRandomSeed((int) seed);
        Path stateFile = checkpoint == null ? null : stateFile(checkpoint);
        String fingerprint = fingerprint(trainRows, devRows, epochs, batchSize, lr0, weightDecay, patience, seed);
        try (NDManager manager = engine.newBaseManager()) {
            Map<String, ProjectionHead> heads = new LinkedHashMap<>();
            for (int k = 0; k < modalities.size(); k++) {
                String m = modalities.get(k);
                ProjectionHead head = new ProjectionHead(manager, width(m), dim, dropout, seed * 31 + k);
                if (frozen.containsKey(m)) {
                    head.load(frozen.get(m));
                }
                heads.put(m, head);
            }
            Batches.Resident in = new Batches.Resident(manager, modalities, inputs, widths::get);
            LossFunction loss = lossFactory.create(manager);
            List<NDArray> params = new ArrayList<>();
            heads.forEach((m, h) -> {
                if (!frozen.containsKey(m)) {
                    params.addAll(h.parameters());
                }
            });
            params.addAll(loss.parameters());
            AdamW adam = new AdamW(manager, params, p -> heads.values().stream().anyMatch(h -> h.decays(p)));
            Map<NDArray, float[]> best = snapshot(params);
            Map<NDArray, float[]> lastGood = best;
            int recoveries = 0;
            List<EpochStat> history = new ArrayList<>();
            double bestDev = Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            int sinceBest = 0;
            int sinceLrDrop = 0;
            double lr = lr0;
            Random order = new Random(seed);
            // a contrastive loss needs two modalities: with one left the heads stay as initialised
            int maxEpochs = modalities.size() < 2 ? 0 : epochs;
            int first = 1;
            boolean finished = false;
            TrainingState saved = resume && stateFile != null && Files.isRegularFile(stateFile)
                    ? TrainingState.read(stateFile, fingerprint, params) : null;
            if (saved != null) {
                restore(params, saved.current());
                lastGood = saved.lastGood();
                best = saved.best();
                adam.restore(saved.adamStep(), saved.means(), saved.variances());
                lr = saved.lr();
                bestDev = saved.bestDev();
                bestEpoch = saved.bestEpoch();
                sinceBest = saved.sinceBest();
                sinceLrDrop = saved.sinceLrDrop();
                recoveries = saved.recoveries();
                history.addAll(saved.history());
                finished = saved.finished();
                first = saved.epoch() + 1;
                for (int e = 1; e < first; e++) {
                    shuffled(trainRows, order); // the shuffles the finished epochs drew, so the next one is the same
                }
            }
            for (int epoch = first; epoch <= maxEpochs && !finished; epoch++) {
                long e0 = System.nanoTime();
                // dropout draws from the engine's random source: seeded per epoch, so a resumed run draws the same
                engine.setRandomSeed((int) (seed * 1_000_003L + epoch));
                int[] rows = shuffled(trainRows, order);
                double sum = 0;
                int batches = 0;
                for (int from = 0; from + 1 < rows.length; from += batchSize) {
                    int[] idx = java.util.Arrays.copyOfRange(rows, from, Math.min(rows.length, from + batchSize));
                    try (NDManager stepManager = manager.newSubManager()) {
                        float value;
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray l = loss.perSample(batch(stepManager, in, heads, idx, true)).mean();
                            gc.backward(l);
                            value = l.getFloat();
                        }
                        boolean updated = adam.step(lr, weightDecay);
                        if (!updated || !Float.isFinite(value)) {
                            // undo: back to the last good weights, fresh moments, a smaller step
                            recoveries++;
                            restore(params, lastGood);
                            adam.reset();
                            lr *= 0.5;
                            continue;
                        }
                        sum += value;
                        batches++;
                    }
                }
                double trainLoss = batches == 0 ? Double.NaN : sum / batches;
                double devLoss = evaluate(manager, in, heads, loss, devRows, batchSize);
                if (Double.isFinite(devLoss)) {
                    lastGood = snapshot(params);
                } else {
                    recoveries++;
                    restore(params, lastGood);
                    adam.reset();
                    lr *= 0.5;
                    devLoss = evaluate(manager, in, heads, loss, devRows, batchSize);
                }
                if (devLoss < bestDev - 1e-6) {
                    bestDev = devLoss;
                    bestEpoch = epoch;
                    best = lastGood; // the weights equal lastGood here: just snapshotted, or restored to it
                    sinceBest = 0;
                    sinceLrDrop = 0;
                } else {
                    sinceBest++;
                    if (++sinceLrDrop >= 2) {
                        lr *= 0.5;
                        sinceLrDrop = 0;
                    }
                }
                EpochStat stat = new EpochStat(epoch, trainLoss, devLoss, lr, (System.nanoTime() - e0) / 1e9);
                history.add(stat);
                finished = sinceBest >= patience || epoch == maxEpochs;
                // every epoch: the best weights so far and the whole state, so a crash loses at most one epoch of work
                if (stateFile != null) {
                    new TrainingState(fingerprint, epoch, finished, lr, bestDev, bestEpoch, sinceBest, sinceLrDrop,
                            recoveries, List.copyOf(history), adam.steps(), adam.moments(true), adam.moments(false),
                            snapshot(params), lastGood, best).write(stateFile, params);
                }
                writeCheckpoint(checkpoint, heads, best);
                if (progress != null) {
                    double perEpoch = (System.nanoTime() - t0) / 1e9 / epoch;
                    progress.epoch(stat, epochs, perEpoch * (epochs - epoch));
                }
            }
            restore(params, best);
            Map<String, float[][]> aligned = new LinkedHashMap<>();
            Map<String, float[][]> weights = new LinkedHashMap<>();
            for (String m : modalities) {
                aligned.put(m, embed(manager, in, heads.get(m), m));
                weights.put(m, heads.get(m).parameters().stream().map(NDArray::toFloatArray).toArray(float[][]::new));
            }
            return new Result(aligned, history, bestEpoch, (System.nanoTime() - t0) / 1e9, recoveries, weights);
        }
    }

    /** Where the training state beside a checkpoint goes: {@code training.state} in the same folder. */
    public static Path stateFile(Path checkpoint) {
        return checkpoint.resolveSibling("training.state");
    }

    /** What a saved state must match to be resumed: the data, the settings and the shapes of the inputs. */
    private String fingerprint(int[] trainRows, int[] devRows, int epochs, int batchSize, double lr0, double weightDecay,
            int patience, long seed) {
        StringBuilder b = new StringBuilder();
        for (String m : modalities) {
            b.append(m).append(':').append(widths.get(m)).append(frozen.containsKey(m) ? "F" : "").append(',');
        }
        b.append(dim).append(',').append(dropout).append(',').append(epochs).append(',').append(batchSize).append(',')
                .append(lr0).append(',').append(weightDecay).append(',').append(patience).append(',').append(seed)
                .append(',').append(java.util.Arrays.hashCode(trainRows)).append(',')
                .append(java.util.Arrays.hashCode(devRows));
        for (String m : modalities) {
            b.append(',').append(java.util.Arrays.deepHashCode(inputs.get(m)));
        }
        return b.toString();
    }

    private int width(String modality) {
        return widths.get(modality);
    }

    /** The batch of projected embeddings of the given posts (presence 0 where a modality is missing). */
    private ModalityBatch batch(NDManager manager, Batches.Resident in, Map<String, ProjectionHead> heads, int[] idx,
            boolean training) {
        return in.batch(manager, idx, (m, x) -> heads.get(m).forward(x, training && !frozen.containsKey(m)), false);
    }

    private double evaluate(NDManager manager, Batches.Resident in, Map<String, ProjectionHead> heads, LossFunction loss,
            int[] rows, int batchSize) {
        double sum = 0;
        int n = 0;
        for (int from = 0; from + 1 < rows.length; from += batchSize) {
            int[] idx = java.util.Arrays.copyOfRange(rows, from, Math.min(rows.length, from + batchSize));
            try (NDManager stepManager = manager.newSubManager()) {
                sum += loss.perSample(batch(stepManager, in, heads, idx, false)).mean().getFloat() * idx.length;
                n += idx.length;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private float[][] embed(NDManager manager, Batches.Resident in, ProjectionHead head, String m) {
        float[][] x = inputs.get(m);
        float[][] out = new float[x.length][];
        NDArray all = in.matrix(m);
        for (int from = 0; from < x.length; from += 512) {
            int to = Math.min(x.length, from + 512);
            try (NDManager stepManager = manager.newSubManager()) {
                NDArray chunk = all.get(from + ":" + to);
                chunk.attach(stepManager);
                float[] h = head.forward(chunk, false).toFloatArray();
                for (int i = from; i < to; i++) {
                    if (x[i] != null) {
                        out[i] = java.util.Arrays.copyOfRange(h, (i - from) * dim, (i - from + 1) * dim);
                    }
                }
            }
        }
        return out;
    }

    static Map<NDArray, float[]> snapshot(List<NDArray> params) {
        Map<NDArray, float[]> s = new IdentityHashMap<>();
        params.forEach(p -> s.put(p, p.toFloatArray()));
        return s;
    }

    private static void restore(List<NDArray> params, Map<NDArray, float[]> s) {
        try (NoGrad g = NoGrad.enter()) {
            for (NDArray p : params) {
                p.set(s.get(p));
            }
        }
    }

    private static int[] shuffled(int[] rows, Random r) {
        int[] a = rows.clone();
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** The best weights so far: modality, then each array's shape and values. Written beside, then moved. */
    private static void writeCheckpoint(Path file, Map<String, ProjectionHead> heads, Map<NDArray, float[]> best)
            throws IOException {
        if (file == null) {
            return;
        }
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "heads", ".part");
        try {
            try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeInt(heads.size());
                for (Map.Entry<String, ProjectionHead> e : heads.entrySet()) {
                    out.writeUTF(e.getKey());
                    for (NDArray p : e.getValue().parameters()) {
                        long[] shape = p.getShape().getShape();
                        out.writeInt(shape.length);
                        for (long s : shape) {
                            out.writeLong(s);
                        }
                        float[] v = best.get(p);
                        for (float f : v) {
                            out.writeFloat(f);
                        }
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
