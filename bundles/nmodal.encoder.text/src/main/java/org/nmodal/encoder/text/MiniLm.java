package org.nmodal.encoder.text;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.nmodal.api.TypedConfig;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.encoder.text.internal.MiniLmTextEncoder;
import org.nmodal.encoder.text.transformer.TransformerConfig;

/** The MiniLM text encoder for code that runs without an OSGi framework (benchmarks, tools, embedding). */
public final class MiniLm {
    private MiniLm() {}

    /** The encoder and the way to free its model. */
    public interface Encoder extends ModalityEncoder, AutoCloseable {
        /** Frees the model once calls in flight are done. */
        @Override
        void close();
    }

    /**
     * Loads the encoder from a folder with the ONNX model and its tokenizer.
     *
     * @param settings the keys of PID {@code nmodal.encoder.text.minilm} ({@code device}, {@code batchSize},
     *     {@code maxTokens}, {@code predictors}, {@code intraOpThreads}, {@code drainTimeoutMs}); missing ones take
     *     their defaults
     */
    public static Encoder open(Engine onnxRuntime, Path modelDir, Map<String, ?> settings)
            throws IOException, MalformedModelException {
        return new MiniLmTextEncoder(onnxRuntime, modelDir, TypedConfig.of(TransformerConfig.class, settings));
    }
}
