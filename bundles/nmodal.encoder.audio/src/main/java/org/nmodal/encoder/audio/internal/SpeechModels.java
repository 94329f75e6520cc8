package org.nmodal.encoder.audio.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.nmodal.djl.OnnxFiles;

/**
 * Google's speech embedding and Silero VAD, as openWakeWord ships them as ONNX files, and the arithmetic between
 * them. Not thread-safe: the encoder calls {@link #features} under its lock.
 *
 * <ul>
 * <li>{@code melspectrogram.onnx}: input {@code input} [batch, samples] float, 16 kHz audio on the int16 scale
 * (openWakeWord's Python feeds 16-bit PCM cast to float; the browser package's JS feeds -1..1 floats, 90.3 dB lower,
 * which is not what the embedding model was fitted on); output {@code output} [batch, 1, frames, 32], a dB-scaled
 * mel spectrogram (floor -100) with frames = (samples - 512) / 160 + 1. Each value is then divided by 10 and 2 is
 * added (openWakeWord's {@code melspec_transform}, also in the JS).</li>
 * <li>{@code embedding_model.onnx}: input {@code input_1} [N, 76, 32, 1], output {@code conv2d_19} [N, 1, 1, 96]:
 * one 96-d vector per 76-frame window (0.775 s); windows start every 8 frames (80 ms), short tail windows are
 * dropped, as in openWakeWord's {@code _get_embeddings}.</li>
 * <li>{@code silero_vad.onnx} (v4 interface): inputs {@code input} [1, 512] float -1..1, {@code sr} int64 scalar
 * 16000, {@code h} and {@code c} [2, 1, 64] LSTM state; outputs {@code output} [1, 1] speech probability, {@code hn},
 * {@code cn}. The state runs through a track's 512-sample (32 ms) chunks in order.</li>
 * </ul>
 */
final class SpeechModels implements AutoCloseable {
    static final String MEL_FILE = "melspectrogram.onnx";
    static final String EMBEDDING_FILE = "embedding_model.onnx";
    static final String VAD_FILE = "silero_vad.onnx";
    static final List<String> FILES = List.of(MEL_FILE, EMBEDDING_FILE, VAD_FILE);

    static final int RATE = 16_000;
    static final int MEL_BINS = 32;
    static final int WINDOW_FRAMES = 76;
    static final int STEP_FRAMES = 8;
    static final int EMBEDDING = 96;
    /** Samples the mel model needs for one 76-frame window: 512 + 75 × 160. */
    static final int MIN_SAMPLES = 512 + (WINDOW_FRAMES - 1) * 160;
    static final int VAD_CHUNK = 512;
    static final float VAD_THRESHOLD = 0.5f;
    /** Pooled window embeddings (mean, max, standard deviation) and the speech ratio. */
    static final int DIMENSION = 3 * EMBEDDING + 1;
    /** Embedding windows per forward pass (bounds memory on long tracks). */
    private static final int BATCH = 64;

    private final Model mel;
    private final Model embedding;
    private final Model vad;
    private final Predictor<float[], float[]> melPredictor;
    private final Predictor<float[], float[]> embeddingPredictor;
    private final Predictor<VadStep, VadStep> vadPredictor;
    private final String fingerprint;

    /** Loads the three models from {@code dir}; mel and embedding on {@code device}, the VAD's small LSTM on cpu. */
    SpeechModels(Path dir, Device device) throws IOException, MalformedModelException {
        StringBuilder fp = new StringBuilder();
        List<String> tags = List.of("mel", "emb", "vad");
        for (int i = 0; i < FILES.size(); i++) {
            fp.append(i == 0 ? "" : "/").append(tags.get(i)).append('-')
                    .append(sha256(dir.resolve(FILES.get(i))), 0, 8);
        }
        fingerprint = fp.toString();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            mel = OnnxFiles.load(dir.resolve(MEL_FILE), device);
            opened.add(mel);
            embedding = OnnxFiles.load(dir.resolve(EMBEDDING_FILE), device);
            opened.add(embedding);
            vad = OnnxFiles.load(dir.resolve(VAD_FILE), Device.cpu());
            opened.add(vad);
            melPredictor = mel.newPredictor(new MelTranslator());
            opened.add(melPredictor);
            embeddingPredictor = embedding.newPredictor(new EmbeddingTranslator());
            opened.add(embeddingPredictor);
            vadPredictor = vad.newPredictor(new VadTranslator());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            Collections.reverse(opened);
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing what was opened; the first failure is the one to report
                }
            }
            throw e;
        }
    }

    /** Short SHA-256 prefixes of the three model files, for {@code version()}. */
    String fingerprint() {
        return fingerprint;
    }

    /**
     * The track's {@link #DIMENSION} features: mean, max and standard deviation of the window embeddings, then the
     * share of 32 ms chunks the VAD calls speech. A track shorter than one window is padded with silence.
     */
    float[] features(float[] pcm) throws TranslateException {
        float[][] windows = embeddings(pcm);
        float[] out = new float[DIMENSION];
        int n = windows.length;
        for (int d = 0; d < EMBEDDING; d++) {
            double sum = 0;
            double sq = 0;
            float max = Float.NEGATIVE_INFINITY;
            for (float[] w : windows) {
                sum += w[d];
                sq += (double) w[d] * w[d];
                max = Math.max(max, w[d]);
            }
            double mean = sum / n;
            out[d] = (float) mean;
            out[EMBEDDING + d] = max;
            out[2 * EMBEDDING + d] = (float) Math.sqrt(Math.max(0, sq / n - mean * mean));
        }
        out[3 * EMBEDDING] = (float) speechRatio(pcm);
        return out;
    }

    /** One 96-d embedding per 76-frame window, windows every 8 frames. */
    float[][] embeddings(float[] pcm) throws TranslateException {
        float[] x = new float[Math.max(pcm.length, MIN_SAMPLES)];
        for (int i = 0; i < pcm.length; i++) {
            // 16-bit PCM values, as openWakeWord feeds the model
            x[i] = Math.round(Math.max(-32768f, Math.min(32767f, pcm[i] * 32768f)));
        }
        float[] spec = melPredictor.predict(x);
        int frames = spec.length / MEL_BINS;
        for (int i = 0; i < spec.length; i++) {
            spec[i] = spec[i] / 10f + 2f;
        }
        int count = (frames - WINDOW_FRAMES) / STEP_FRAMES + 1;
        List<float[]> windows = new ArrayList<>(count);
        for (int w = 0; w < count; w++) {
            float[] win = new float[WINDOW_FRAMES * MEL_BINS];
            System.arraycopy(spec, w * STEP_FRAMES * MEL_BINS, win, 0, win.length);
            windows.add(win);
        }
        float[][] out = new float[count][];
        for (int from = 0; from < count; from += BATCH) {
            List<float[]> part = embeddingPredictor.batchPredict(windows.subList(from, Math.min(count, from + BATCH)));
            for (int i = 0; i < part.size(); i++) {
                out[from + i] = part.get(i);
            }
        }
        return out;
    }

    /** The share of the track's 512-sample chunks whose speech probability is above 0.5 (state carried along). */
    double speechRatio(float[] pcm) throws TranslateException {
        int chunks = Math.max(1, pcm.length / VAD_CHUNK);
        float[] h = new float[2 * 64];
        float[] c = new float[2 * 64];
        int speech = 0;
        for (int k = 0; k < chunks; k++) {
            float[] chunk = new float[VAD_CHUNK];
            System.arraycopy(pcm, k * VAD_CHUNK, chunk, 0, Math.min(VAD_CHUNK, pcm.length - k * VAD_CHUNK));
            VadStep next = vadPredictor.predict(new VadStep(chunk, h, c, 0));
            h = next.h();
            c = next.c();
            speech += next.probability() > VAD_THRESHOLD ? 1 : 0;
        }
        return speech / (double) chunks;
    }

    @Override
    public void close() {
        vadPredictor.close();
        embeddingPredictor.close();
        melPredictor.close();
        vad.close();
        embedding.close();
        mel.close();
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A VAD call's chunk and state in, or probability and state out. */
    record VadStep(float[] chunk, float[] h, float[] c, float probability) {}

    private static final class MelTranslator implements Translator<float[], float[]> {
        @Override
        public NDList processInput(TranslatorContext ctx, float[] samples) {
            NDArray in = ctx.getNDManager().create(samples, new Shape(1, samples.length));
            in.setName("input");
            return new NDList(in);
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            return OnnxFiles.output(list, "output").toFloatArray();
        }

        @Override
        public Batchifier getBatchifier() {
            return null; // the input already has its batch axis
        }
    }

    private static final class EmbeddingTranslator implements Translator<float[], float[]> {
        @Override
        public NDList processInput(TranslatorContext ctx, float[] window) {
            return new NDList(ctx.getNDManager().create(window, new Shape(WINDOW_FRAMES, MEL_BINS, 1)));
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            return list.get(0).toFloatArray();
        }

        @Override
        public Batchifier getBatchifier() {
            return Batchifier.STACK;
        }
    }

    private static final class VadTranslator implements Translator<VadStep, VadStep> {
        @Override
        public NDList processInput(TranslatorContext ctx, VadStep step) {
            NDManager m = ctx.getNDManager();
            NDArray input = m.create(step.chunk(), new Shape(1, VAD_CHUNK));
            input.setName("input");
            NDArray sr = m.create((long) RATE);
            sr.setName("sr");
            NDArray h = m.create(step.h(), new Shape(2, 1, 64));
            h.setName("h");
            NDArray c = m.create(step.c(), new Shape(2, 1, 64));
            c.setName("c");
            return new NDList(input, sr, h, c);
        }

        @Override
        public VadStep processOutput(TranslatorContext ctx, NDList list) {
            return new VadStep(null, OnnxFiles.output(list, "hn").toFloatArray(),
                    OnnxFiles.output(list, "cn").toFloatArray(), OnnxFiles.output(list, "output").toFloatArray()[0]);
        }

        @Override
        public Batchifier getBatchifier() {
            return null; // the input already has its batch axis
        }
    }
}
