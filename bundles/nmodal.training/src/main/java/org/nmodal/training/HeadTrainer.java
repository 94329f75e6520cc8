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
import org.nmodal.api.loss.MetaReweighting;
import org.nmodal.api.loss.Reweighting;
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

    /**
     * Trained heads' output; {@code recoveries} counts steps skipped or undone because a value was not finite;
     * {@code sampleWeights} (null without a reweighting) is each training post's weight in its last epoch, by row
     * (NaN for rows that did not train): the unnormalised weight of a {@link MetaReweighting}, else the normalised
     * weight times the batch size.
     */
    public record Result(Map<String, float[][]> aligned, List<EpochStat> history, int bestEpoch, double seconds, int recoveries,
            Map<String, float[][]> weights, float[] sampleWeights) {}

    private final Engine engine;
    private final List<String> modalities;
    private final Map<String, float[][]> inputs; // standardised, null rows for missing
    private final int dim;
    private final float dropout;
    private final Map<String, Integer> widths = new HashMap<>();
    private final Map<String, float[][]> frozen;
    private java.util.function.Function<NDManager, Reweighting> reweighting;

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

    /**
     * Weights each post's loss with a reweighting built on the training's manager (null: the plain mean). A
     * {@link MetaReweighting} also learns, before every step, from a clean meta set of {@code metaPosts} dev posts
     * (seeded; they then take no part in early stopping when enough dev posts remain) through a one-step look-ahead:
     * see {@link #metaStep}.
     */
    public HeadTrainer reweighting(java.util.function.Function<NDManager, Reweighting> factory) {
        this.reweighting = factory;
        return this;
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
            Reweighting rw = reweighting == null ? null : reweighting.apply(manager);
            MetaReweighting meta = rw instanceof MetaReweighting mr ? mr : null;
            int[] metaRows = new int[0];
            if (meta != null) {
                int[] d = shuffled(devRows, new Random(seed * 131 + 17));
                int k = Math.min(meta.metaPosts(), d.length);
                metaRows = java.util.Arrays.copyOf(d, k);
                if (d.length - k >= 2) {
                    devRows = java.util.Arrays.copyOfRange(d, k, d.length);
                    java.util.Arrays.sort(devRows);
                }
            }
            float[] sampleWeights = null;
            if (rw != null) {
                sampleWeights = new float[inputs.get(modalities.get(0)).length];
                java.util.Arrays.fill(sampleWeights, Float.NaN);
            }
            Random metaOrder = new Random(seed * 7919 + 3);
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
                if (rw != null) {
                    rw.restore(saved.reweighting());
                    metaOrder = TrainingState.random(saved.metaOrder());
                    sampleWeights = saved.sampleWeights() == null ? sampleWeights : saved.sampleWeights().clone();
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
                    if (!contrasts(idx)) {
                        continue; // the loss would be a constant with no gradient (PyTorch refuses the backward pass)
                    }
                    try (NDManager stepManager = manager.newSubManager()) {
                        float value;
                        NDArray atTheta = meta == null || metaRows.length < 2 ? null
                                : metaStep(stepManager, in, heads, loss, meta, params, idx, metaRows, metaOrder, batchSize,
                                        epoch);
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray per = loss.perSample(batch(stepManager, in, heads, idx, true));
                            NDArray l;
                            if (rw == null) {
                                l = per.mean();
                                value = l.getFloat();
                            } else {
                                // the weights see values only, as in Meta-Weight-Net; the meta step measured them
                                // without dropout, so the real step's weights come from the same numbers
                                NDArray input = atTheta != null ? atTheta : per.stopGradient();
                                NDArray w = rw.weights(input);
                                float[] shown = (meta != null ? meta.rawWeights(input) : w.mul(idx.length)).toFloatArray();
                                for (int k = 0; k < idx.length; k++) {
                                    sampleWeights[idx[k]] = shown[k];
                                }
                                l = per.mul(w).sum();
                                value = per.mean().getFloat();
                            }
                            gc.backward(l);
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
                            snapshot(params), lastGood, best, rw == null ? new byte[0] : rw.state(),
                            rw == null ? new byte[0] : TrainingState.bytes(metaOrder), sampleWeights)
                            .write(stateFile, params);
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
            return new Result(aligned, history, bestEpoch, (System.nanoTime() - t0) / 1e9, recoveries, weights,
                    sampleWeights);
        }
    }

    /** Whether two of the rows share two modalities, one of them learning: only then has the loss a gradient. */
    private boolean contrasts(int[] idx) {
        for (int a = 0; a < modalities.size(); a++) {
            for (int b = a + 1; b < modalities.size(); b++) {
                float[][] x = inputs.get(modalities.get(a));
                float[][] y = inputs.get(modalities.get(b));
                if (frozen.containsKey(modalities.get(a)) && frozen.containsKey(modalities.get(b))) {
                    continue;
                }
                int both = 0;
                for (int i : idx) {
                    if (x[i] != null && y[i] != null && ++both >= 2) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * One Meta-Weight-Net meta step, first order: DJL offers no gradient of a gradient, but none is needed. The virtual
     * step {@code θ' = θ − α Σ_i w_i ∇L_i(θ)} depends on the weight net only through the weights, so
     * {@code ∂L_meta(θ')/∂w_i = −α ∇L_meta(θ') · ∇L_i(θ)} exactly; that dot product is the derivative of
     * {@code L_i} along the meta gradient, taken here by a central difference of two forward passes
     * ({@code ±h} along it, error {@code O(h²)}). Everything runs without dropout so the passes compare like with like.
     * The weights are left as they were. The weights come from {@link MetaReweighting#input} of the losses at
     * {@code θ}, asked once per step, so a reweighting may keep a history per post (by row number).
     *
     * @return what the weights are computed from for this batch ({@link MetaReweighting#input} of its per-post losses
     *     at {@code θ}), values only
     */
    private NDArray metaStep(NDManager step, Batches.Resident in, Map<String, ProjectionHead> heads, LossFunction loss,
            MetaReweighting meta, List<NDArray> params, int[] idx, int[] metaRows, Random metaOrder, int batchSize,
            int epoch) {
        float alpha = (float) meta.virtualStep();
        NDArray atTheta;
        List<NDArray> original = new ArrayList<>();
        List<NDArray> direction = new ArrayList<>();
        try (GradientCollector gc = engine.newGradientCollector()) {
            NDArray per = loss.perSample(batch(step, in, heads, idx, false));
            NDArray values = per.stopGradient();
            atTheta = meta.input(idx, values, epoch);
            atTheta.attach(step);
            if (atTheta != values) {
                values.attach(step);
            }
            gc.backward(per.mul(meta.weights(atTheta)).sum());
        }
        try (NoGrad g = NoGrad.enter()) {
            for (NDArray p : params) {
                NDArray keep = p.duplicate();
                keep.attach(step);
                original.add(keep);
                NDArray grad = p.getGradient();
                NDArray stepBy = grad.mul(alpha);
                p.subi(stepBy);
                stepBy.close();
                grad.close();
                ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p);
            }
        }
        int[] m = java.util.Arrays.copyOf(shuffled(metaRows, metaOrder), Math.min(batchSize, metaRows.length));
        try (GradientCollector gc = engine.newGradientCollector()) {
            ModalityBatch metaBatch = batch(step, in, heads, m, false);
            gc.backward(meta.metaLoss(metaBatch, loss.perSample(metaBatch)));
        }
        double norm2 = 0;
        NDArray agreement;
        try (NoGrad g = NoGrad.enter()) {
            for (int k = 0; k < params.size(); k++) {
                NDArray p = params.get(k);
                NDArray grad = p.getGradient();
                NDArray d = grad.duplicate();
                d.attach(step);
                grad.close();
                direction.add(d);
                ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p);
                norm2 += d.square().sum().getFloat();
                p.subi(p).addi(original.get(k));
            }
            if (!(norm2 > 0) || !Double.isFinite(norm2)) {
                agreement = step.zeros(atTheta.getShape());
            } else {
                // a step of length 1e-2 in parameter space along the meta gradient, both ways
                float h = (float) (1e-2 / Math.sqrt(norm2));
                NDArray plus = shifted(step, in, heads, loss, params, original, direction, idx, h);
                NDArray minus = shifted(step, in, heads, loss, params, original, direction, idx, -h);
                agreement = plus.sub(minus).div(2 * h);
                for (int k = 0; k < params.size(); k++) {
                    NDArray p = params.get(k);
                    p.subi(p).addi(original.get(k));
                }
            }
            agreement.attach(step);
        }
        meta.metaUpdate(atTheta, agreement);
        return atTheta;
    }

    /** The batch's per-post losses with the weights at {@code original + h · direction}. */
    private NDArray shifted(NDManager step, Batches.Resident in, Map<String, ProjectionHead> heads, LossFunction loss,
            List<NDArray> params, List<NDArray> original, List<NDArray> direction, int[] idx, float h) {
        for (int k = 0; k < params.size(); k++) {
            NDArray p = params.get(k);
            p.subi(p).addi(original.get(k)).addi(direction.get(k).mul(h));
        }
        return loss.perSample(batch(step, in, heads, idx, false));
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
