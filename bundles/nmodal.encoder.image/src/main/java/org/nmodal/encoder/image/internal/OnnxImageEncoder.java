package org.nmodal.encoder.image.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.nmodal.api.NModal;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.media.DecodedImage;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.djl.Devices;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * An image encoder on any ONNX model the user points to, one instance per factory configuration
 * ({@code nmodal.encoder.image.onnx-<name>.cfg} in the load folder). The configuration's {@code nmodal.name}
 * is the name pipelines use.
 */
@Component(service = ModalityEncoder.class, configurationPid = "nmodal.encoder.image.onnx",
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = {NModal.KIND + "=" + NModal.KIND_ENCODER,
            NModal.MODALITY + "=image", NModal.NAME + "=image-onnx",
            NModal.DESCRIPTION + "=Any ONNX image model (configured)"})
@Designate(ocd = OnnxImageEncoder.Config.class, factory = true)
public final class OnnxImageEncoder implements ModalityEncoder {
    /** Configuration, factory PID {@code nmodal.encoder.image.onnx}. */
    @ObjectClassDefinition(name = "ONNX image encoder", description = "Features from any ONNX image model")
    public @interface Config {
        /** The encoder's name in pipeline files. */
        @AttributeDefinition(name = "nmodal.name", description = "Name used in pipeline files")
        String nmodal_name() default "image-onnx";

        /** The model file. */
        @AttributeDefinition(description = "Path of the .onnx file")
        String model();

        /** Square input side. */
        @AttributeDefinition(description = "Input width and height the model expects")
        int inputSize() default 224;

        /** Channel means. */
        @AttributeDefinition(description = "Per-channel mean (R,G,B) after scaling to [0,1]")
        String mean() default "0.485,0.456,0.406";

        /** Channel spreads. */
        @AttributeDefinition(description = "Per-channel standard deviation (R,G,B)")
        String std() default "0.229,0.224,0.225";

        /** Output node. */
        @AttributeDefinition(description = "Name of the output to use; empty for the first")
        String output() default "";

        /** Device. */
        @AttributeDefinition(description = "cpu, gpu or gpu:N (falls back to cpu when none is usable)")
        String device() default "cpu";

        /** Licence of the model weights, shown by the console. */
        @AttributeDefinition(name = "nmodal.licence", description = "Licence of the model and its weights")
        String nmodal_licence() default "unknown";

        /** Where the model comes from (shown in provenance manifests). */
        @AttributeDefinition(name = "nmodal.model.origin", description = "Where the model and its weights come from "
                + "(a URL, a paper, a training run)")
        String nmodal_model_origin() default "not declared";

        /** Licence of the model weights (shown in provenance manifests). */
        @AttributeDefinition(name = "nmodal.model.licence", description = "Licence of the model weights")
        String nmodal_model_licence() default "unknown";
    }

    private final MediaDecoder media;
    private final OnnxImageModel model;
    private final String name;
    private final String version;
    private final Device device;
    private final int dimension;

    /** Loads the configured model on the platform's ONNX Runtime engine. */
    @Activate
    public OnnxImageEncoder(@Reference(target = "(nmodal.name=OnnxRuntime)") Engine onnxRuntime,
            @Reference(target = "(nmodal.name=ffmpeg)") MediaDecoder media, Config config)
            throws IOException, MalformedModelException {
        this(onnxRuntime, media, config.nmodal_name(), Path.of(config.model()), config.inputSize(),
                floats(config.mean(), "mean"), floats(config.std(), "std"), config.output(), config.device());
    }

    OnnxImageEncoder(Engine onnxRuntime, MediaDecoder media, String name, Path file, int size, float[] mean,
            float[] std, String output, String deviceSetting) throws IOException, MalformedModelException {
        this.media = media;
        this.name = name;
        this.device = Devices.resolve(deviceSetting, onnxRuntime, name);
        this.model = new OnnxImageModel(file, device, size, mean, std, output);
        this.version = "onnx/" + file.getFileName() + "/" + java.nio.file.Files.size(file) + "/" + size
                + "/" + Arrays.toString(mean) + Arrays.toString(std) + "/" + output;
        DecodedImage probe = new DecodedImage(size, size, new byte[3 * size * size], 0);
        try {
            this.dimension = model.embed(List.of(probe)).get(0).length;
        } catch (Exception e) {
            model.close();
            throw new IOException(file + ": the model does not run on a " + size + "x" + size + " image: "
                    + e.getMessage(), e);
        }
    }

    static float[] floats(String csv, String what) {
        String[] parts = csv.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("image-onnx: " + what + " needs 3 numbers (R,G,B), got '" + csv + "'");
        }
        float[] f = new float[3];
        for (int i = 0; i < 3; i++) {
            f[i] = Float.parseFloat(parts[i].trim());
        }
        return f;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String modality() {
        return "image";
    }

    @Override
    public int dimension() {
        return dimension;
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
        return model.encodeFiles(media, name, inputs, inputs.size());
    }

    /** Frees the model. */
    @Deactivate
    public void deactivate() {
        model.close();
    }
}
