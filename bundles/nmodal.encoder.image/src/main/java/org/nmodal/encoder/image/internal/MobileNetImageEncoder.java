package org.nmodal.encoder.image.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.nmodal.api.NModal;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.media.DecodedImage;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.djl.BundledModels;
import org.nmodal.djl.Devices;
import org.nmodal.encoder.image.FrameEmbedder;
import org.nmodal.encoder.image.MobileNetImage;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code image-mobilenet}: the 1792-d pooled feature of the MobileNetV2-1.4 network inside the npm package nsfwjs
 * 4.4.0 ({@code mobilenet_v2_mid}), converted from TensorFlow.js to ONNX at build time by nmodal's own converter
 * ({@code src/build/tfjs2onnx.mjs}) and carried in this bundle. Pre-processing is nsfwjs's own: RGB scaled to [0, 1],
 * bilinear resize to 224 x 224 with corners aligned; the network maps [0, 1] to [-1, 1] itself.
 */
@Component(service = {ModalityEncoder.class, FrameEmbedder.class}, configurationPid = MobileNetImageEncoder.PID,
        property = {
        NModal.KIND + "=" + NModal.KIND_ENCODER, NModal.MODALITY + "=image", NModal.NAME + "=image-mobilenet",
        NModal.DIMENSION + ":Integer=1792",
        NModal.LICENCE + "=MIT",
        NModal.DESCRIPTION + "=MobileNetV2-1.4 pooled features (1792-d) from nsfwjs, converted to ONNX by nmodal",
        "nmodal.model.origin=" + MobileNetImageEncoder.ORIGIN,
        "nmodal.model.licence=MIT (ImageNet base Apache-2.0)"})
@Designate(ocd = MobileNetImageEncoder.Config.class)
public final class MobileNetImageEncoder implements MobileNetImage.Encoder {
    /** Configuration PID. */
    public static final String PID = "nmodal.encoder.image.mobilenet";
    /** Where the weights come from (also in the service properties, for provenance). */
    public static final String ORIGIN = "npm nsfwjs 4.4.0 mobilenet_v2_mid (TensorFlow.js, converted to ONNX by nmodal)";
    /** The model file inside the bundle, under {@code model/} (written by the build). */
    public static final String MODEL_FILE = "nsfwjs-mobilenet_v2_mid.onnx";
    static final int SIZE = 224;
    static final int DIMENSION = 1792;
    private static final Logger LOG = Logger.getLogger(MobileNetImageEncoder.class.getName());
    private static final float[] ZERO = {0, 0, 0};
    private static final float[] ONE = {1, 1, 1};

    /** Configuration, PID {@code nmodal.encoder.image.mobilenet}. */
    @ObjectClassDefinition(name = "MobileNetV2 image encoder", description = "image-mobilenet: MobileNetV2-1.4 "
            + "features from nsfwjs")
    public @interface Config {
        /** Device. */
        @AttributeDefinition(description = "cpu, gpu or gpu:N (falls back to cpu when none is usable)")
        String device() default "cpu";

        /** Images per model call. */
        @AttributeDefinition(description = "Images per model call")
        int batchSize() default 16;
    }

    private final MediaDecoder media;
    private final OnnxImageModel model;
    private final Device device;
    private final String version;
    private final int batchSize;

    /** Loads the model carried in this bundle on the platform's ONNX Runtime engine. */
    @Activate
    public MobileNetImageEncoder(@Reference(target = "(nmodal.name=OnnxRuntime)") Engine onnxRuntime,
            @Reference(target = "(nmodal.name=ffmpeg)") MediaDecoder media, BundleContext context, Config config)
            throws IOException, MalformedModelException {
        this(onnxRuntime, media, extractModel(context), config.device(), config.batchSize());
    }

    /** The same encoder on a model file (outside OSGi: tests, benchmarks). */
    public MobileNetImageEncoder(Engine onnxRuntime, MediaDecoder media, Path modelFile, String deviceSetting,
            int batchSize) throws IOException, MalformedModelException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("image-mobilenet: batchSize must be at least 1, was " + batchSize);
        }
        long t0 = System.nanoTime();
        this.media = media;
        this.batchSize = batchSize;
        this.device = Devices.resolve(deviceSetting, onnxRuntime, "image-mobilenet");
        // the version names the exact weights: a different conversion gives different outputs
        this.version = "nsfwjs-4.4.0/mobilenet_v2_mid/" + sha256(modelFile).substring(0, 16) + "/" + SIZE
                + "/align-corners";
        this.model = new OnnxImageModel(modelFile, device, SIZE, ZERO, ONE, "features", true);
        LOG.log(Level.INFO, () -> "image-mobilenet ready on " + Devices.describe(device) + " in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    /** The converted model, copied into the work folder once (ONNX Runtime loads files). */
    static Path extractModel(BundleContext context) throws IOException {
        return BundledModels.extract(context, "nsfwjs-mobilenet_v2_mid", "model", List.of(MODEL_FILE))
                .resolve(MODEL_FILE);
    }

    static String sha256(Path file) throws IOException {
        return hex(Files.readAllBytes(file));
    }

    private static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    @Override
    public String name() {
        return "image-mobilenet";
    }

    @Override
    public String modality() {
        return "image";
    }

    @Override
    public int dimension() {
        return DIMENSION;
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
        return model.encodeFiles(media, name(), inputs, batchSize);
    }

    @Override
    public List<float[]> embed(List<DecodedImage> pictures) throws Exception {
        List<float[]> out = new ArrayList<>(pictures.size());
        for (int from = 0; from < pictures.size(); from += batchSize) {
            out.addAll(model.embed(pictures.subList(from, Math.min(pictures.size(), from + batchSize))));
        }
        return out;
    }

    /** Frees the model. */
    @Deactivate
    public void deactivate() {
        model.close();
    }

    @Override
    public void close() {
        deactivate();
    }
}
