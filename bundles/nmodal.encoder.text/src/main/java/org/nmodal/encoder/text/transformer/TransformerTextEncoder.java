package org.nmodal.encoder.text.transformer;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.djl.BundledModels;
import org.nmodal.djl.Devices;
import org.osgi.framework.BundleContext;

/**
 * A text encoder over a {@link TransformerModel}: batches the texts of a call, fails only the inputs that are not
 * text (or that the model cannot take, retried one by one), and on deactivation waits for calls in flight before
 * freeing the model. Subclasses are the Declarative Services components: they name the model and carry the
 * configuration; their {@code @Deactivate} method calls {@link #deactivate()}.
 */
public abstract class TransformerTextEncoder implements ModalityEncoder {
    private static final System.Logger LOG = System.getLogger("nmodal.encoder.text");

    /**
     * Which model: the encoder's name, the model files' stem inside the bundle's {@code model/} folder, the pooling
     * ({@code mean} or {@code cls}) and the embedding dimension.
     */
    public record Model(String name, String stem, String pooling, int dimension) {}

    /** The configuration keys every transformer text encoder reads. */
    public record Settings(String device, int batchSize, int maxTokens, int predictors, int intraOpThreads,
            long drainTimeoutMs) {
        /** The settings of a component's typed configuration. */
        public static Settings of(TransformerConfig c) {
            return new Settings(c.device(), c.batchSize(), c.maxTokens(), c.predictors(), c.intraOpThreads(),
                    c.drainTimeoutMs());
        }
    }

    private final Model spec;
    private final TransformerModel model;
    private final Device device;
    private final String version;
    private final long drainTimeoutMs;
    private final InFlight inFlight = new InFlight();

    /** Loads the model from a folder holding its ONNX file and tokenizer. */
    protected TransformerTextEncoder(Model spec, Engine onnxRuntime, Path modelDir, Settings settings)
            throws IOException, MalformedModelException {
        long t0 = System.nanoTime();
        this.spec = spec;
        device = Devices.resolve(settings.device(), onnxRuntime, spec.name());
        model = new TransformerModel(modelDir, spec.stem(), spec.pooling(), device, settings.maxTokens(),
                settings.batchSize(), settings.predictors(), settings.intraOpThreads());
        version = spec.stem() + "/" + spec.pooling() + "/l2/max" + settings.maxTokens();
        drainTimeoutMs = settings.drainTimeoutMs();
        LOG.log(Level.INFO, () -> spec.name() + " ready on " + Devices.describe(device) + " in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    /**
     * ONNX Runtime loads models from files, so the model leaves the bundle once, into the work folder
     * ({@code models/<name>-<bundle version>}); the copy is written beside its final name and moved, so a crash never
     * leaves half a model.
     */
    protected static Path extractModel(BundleContext context, String name, String stem) throws IOException {
        return BundledModels.extract(context, name, "model",
                List.of(TransformerModel.modelFile(stem), TransformerModel.tokenizerFile(stem)));
    }

    @Override
    public final String name() {
        return spec.name();
    }

    @Override
    public final String modality() {
        return "text";
    }

    @Override
    public final int dimension() {
        return spec.dimension();
    }

    @Override
    public final String device() {
        return Devices.describe(device);
    }

    @Override
    public final String version() {
        return version;
    }

    @Override
    public final List<Encoding> encode(List<? extends ModalityInput> inputs) {
        Encoding[] out = new Encoding[inputs.size()];
        List<String> texts = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            ModalityInput in = inputs.get(i);
            if (in instanceof TextInput t) {
                texts.add(t.text());
                slots.add(i);
            } else {
                out[i] = Encoding.failed(name() + " encodes text, not "
                        + (in == null ? "null" : in.getClass().getSimpleName()));
            }
        }
        if (!texts.isEmpty()) {
            if (!inFlight.enter()) {
                String why = name() + " is shutting down";
                slots.forEach(i -> out[i] = Encoding.failed(why));
                return Arrays.asList(out);
            }
            try {
                List<float[]> vectors = model.embed(texts);
                for (int k = 0; k < slots.size(); k++) {
                    out[slots.get(k)] = Encoding.of(vectors.get(k));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                slots.forEach(i -> out[i] = Encoding.failed("interrupted"));
            } catch (Exception e) {
                // a batch failed: encode one by one so a single bad text cannot sink the rest
                for (int k = 0; k < slots.size(); k++) {
                    out[slots.get(k)] = encodeOne(texts.get(k));
                }
            } finally {
                inFlight.exit();
            }
        }
        return Arrays.asList(out);
    }

    private Encoding encodeOne(String text) {
        try {
            return Encoding.of(model.embed(List.of(text)).get(0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Encoding.failed("interrupted");
        } catch (Exception e) {
            return Encoding.failed(name() + " failed: " + e.getMessage());
        }
    }

    /** Waits for calls in flight, then frees the model. */
    public void deactivate() throws InterruptedException {
        if (!inFlight.drain(drainTimeoutMs, TimeUnit.MILLISECONDS)) {
            LOG.log(Level.WARNING, name() + ": calls still running after " + drainTimeoutMs + " ms; closing anyway");
        }
        model.close();
    }
}
