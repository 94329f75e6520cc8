package org.nmodal.encoder.image;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.encoder.image.internal.MobileNetImageEncoder;

/**
 * The {@code image-mobilenet} encoder (MobileNetV2-1.4 features from nsfwjs, converted to ONNX at build time) for
 * code that runs without an OSGi framework (benchmarks, tools, embedding).
 */
public final class MobileNetImage {
    private MobileNetImage() {}

    /** The model's file name inside this bundle's {@code model/} folder and the module's build output. */
    public static final String MODEL_FILE = MobileNetImageEncoder.MODEL_FILE;

    /**
     * The encoder on the converted model file.
     *
     * @param onnxRuntime DJL's ONNX Runtime engine
     * @param media the decoder for image files
     * @param modelFile the converted {@code .onnx} file ({@code target/classes/model/} after a build)
     * @param device {@code cpu}, {@code gpu} or {@code gpu:N}
     * @param batchSize images per model call
     */
    public static Encoder encoder(Engine onnxRuntime, MediaDecoder media, Path modelFile, String device,
            int batchSize) throws IOException, MalformedModelException {
        return new MobileNetImageEncoder(onnxRuntime, media, modelFile, device, batchSize);
    }

    /** The encoder, its network on decoded pictures, and the way to free the model. */
    public interface Encoder extends ModalityEncoder, FrameEmbedder, AutoCloseable {
        @Override
        void close();
    }
}
