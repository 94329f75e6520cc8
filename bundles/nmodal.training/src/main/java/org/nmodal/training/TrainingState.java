package org.nmodal.training;

import ai.djl.ndarray.NDArray;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.pipeline.EpochStat;

/**
 * Everything {@link HeadTrainer} needs to go on after an epoch as if it had never stopped: the weights now, the last
 * good and the best ones, the optimiser's moments and step count, the learning rate, the early-stopping counters and
 * the epoch history; with a sample reweighting also its own state ({@code Reweighting.state}), the random source
 * of the meta batches and each post's last weight. Written to a temporary file beside, then moved, so a kill leaves
 * the old state or the new one.
 */
record TrainingState(String fingerprint, int epoch, boolean finished, double lr, double bestDev, int bestEpoch,
        int sinceBest, int sinceLrDrop, int recoveries, List<EpochStat> history, int adamStep, float[][] means,
        float[][] variances, Map<NDArray, float[]> current, Map<NDArray, float[]> lastGood, Map<NDArray, float[]> best,
        byte[] reweighting, byte[] metaOrder, float[] sampleWeights) {
    private static final String MAGIC = "nmodal-training-state-2";

    void write(Path file, List<NDArray> params) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "training", ".part");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeUTF(MAGIC);
                out.writeUTF(fingerprint);
                out.writeInt(epoch);
                out.writeBoolean(finished);
                out.writeDouble(lr);
                out.writeDouble(bestDev);
                out.writeInt(bestEpoch);
                out.writeInt(sinceBest);
                out.writeInt(sinceLrDrop);
                out.writeInt(recoveries);
                out.writeInt(history.size());
                for (EpochStat e : history) {
                    out.writeInt(e.epoch());
                    out.writeDouble(e.trainLoss());
                    out.writeDouble(e.devLoss());
                    out.writeDouble(e.lr());
                    out.writeDouble(e.seconds());
                }
                out.writeInt(adamStep);
                out.writeInt(params.size());
                for (int i = 0; i < params.size(); i++) {
                    NDArray p = params.get(i);
                    for (float[] v : List.of(means[i], variances[i], current.get(p), lastGood.get(p), best.get(p))) {
                        floats(out, v);
                    }
                }
                bytes(out, reweighting);
                bytes(out, metaOrder);
                out.writeBoolean(sampleWeights != null);
                if (sampleWeights != null) {
                    floats(out, sampleWeights);
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads a state for {@code params}; one line naming the file if it is damaged or from other settings or data. */
    static TrainingState read(Path file, String fingerprint, List<NDArray> params) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw new InvalidInputException(file + ": not a training state of this nmodal version");
            }
            if (!fingerprint.equals(in.readUTF())) {
                throw new InvalidInputException(file + ": written for other training settings or data; it cannot be "
                        + "resumed with these");
            }
            int epoch = in.readInt();
            boolean finished = in.readBoolean();
            double lr = in.readDouble();
            double bestDev = in.readDouble();
            int bestEpoch = in.readInt();
            int sinceBest = in.readInt();
            int sinceLrDrop = in.readInt();
            int recoveries = in.readInt();
            int n = in.readInt();
            List<EpochStat> history = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                history.add(new EpochStat(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(),
                        in.readDouble()));
            }
            int adamStep = in.readInt();
            if (in.readInt() != params.size()) {
                throw new InvalidInputException(file + ": holds another number of weight arrays than this training");
            }
            float[][] means = new float[params.size()][];
            float[][] variances = new float[params.size()][];
            Map<NDArray, float[]> current = new IdentityHashMap<>();
            Map<NDArray, float[]> lastGood = new IdentityHashMap<>();
            Map<NDArray, float[]> best = new IdentityHashMap<>();
            for (int i = 0; i < params.size(); i++) {
                NDArray p = params.get(i);
                int size = Math.toIntExact(p.size());
                means[i] = floats(in, size, file);
                variances[i] = floats(in, size, file);
                current.put(p, floats(in, size, file));
                lastGood.put(p, floats(in, size, file));
                best.put(p, floats(in, size, file));
            }
            byte[] reweighting = bytes(in);
            byte[] metaOrder = bytes(in);
            float[] sampleWeights = in.readBoolean() ? floats(in) : null;
            return new TrainingState(fingerprint, epoch, finished, lr, bestDev, bestEpoch, sinceBest, sinceLrDrop,
                    recoveries, history, adamStep, means, variances, current, lastGood, best, reweighting, metaOrder,
                    sampleWeights);
        } catch (EOFException e) {
            throw new InvalidInputException(file + ": truncated training state");
        }
    }

    private static void floats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    /** A random source's exact state (java.util.Random is serializable), to go on drawing where it stopped. */
    static byte[] bytes(java.util.Random random) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(out)) {
            o.writeObject(random);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The random source {@link #bytes(java.util.Random)} wrote; nothing but a Random may come out of a file. */
    static java.util.Random random(byte[] state) {
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(state))) {
            in.setObjectInputFilter(java.io.ObjectInputFilter.Config.createFilter("java.util.Random;!*"));
            return (java.util.Random) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new InvalidInputException("a training state whose meta-batch random source cannot be read: "
                    + e.getMessage());
        }
    }

    private static void bytes(DataOutputStream out, byte[] v) throws IOException {
        out.writeInt(v.length);
        out.write(v);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        byte[] v = new byte[in.readInt()];
        in.readFully(v);
        return v;
    }

    private static float[] floats(DataInputStream in) throws IOException {
        return values(in, in.readInt());
    }

    private static float[] floats(DataInputStream in, int expected, Path file) throws IOException {
        int n = in.readInt();
        if (n != expected) {
            throw new InvalidInputException(file + ": a weight array of " + n + " values where " + expected
                    + " were expected");
        }
        return values(in, n);
    }

    private static float[] values(DataInputStream in, int n) throws IOException {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }
}
