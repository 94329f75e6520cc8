package org.nmodal.encoder.audio.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nmodal.api.NModal;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.djl.Devices;
import org.nmodal.djl.OnnxFiles;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Any ONNX audio model on ONNX Runtime, fed the same 64-band log-mel spectrogram as {@code audio-melstats}: the track
 * is cut into windows of {@code frames} 10 ms frames (the last one padded with the spectrogram's floor), each window
 * is one model input in the configured layout, and the outputs of a track's windows are averaged (as VGGish-style
 * models give one embedding per window). One instance per factory configuration
 * ({@code nmodal.encoder.audio.onnx~<name>.cfg}).
 */
@Component(service = ModalityEncoder.class, configurationPid = "nmodal.encoder.audio.onnx",
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = {NModal.KIND + "=" + NModal.KIND_ENCODER,
                NModal.MODALITY + "=audio"})
@Designate(ocd = OnnxAudioEncoder.Config.class, factory = true)
public final class OnnxAudioEncoder implements ModalityEncoder {
    /** Configuration, factory PID {@code nmodal.encoder.audio.onnx}. */
    @ObjectClassDefinition(name = "ONNX audio encoder", description = "Embeddings from any ONNX audio model")
    public @interface Config {
        /** Name in pipeline files. */
        @AttributeDefinition(name = "nmodal.name", description = "Name used in pipeline files")
        String nmodal_name() default "audio-onnx";

        /** Model file. */
        @AttributeDefinition(description = "Path of the .onnx file")
        String model();

        /** Frames per window. */
        @AttributeDefinition(description = "10 ms log-mel frames per model input (96 for VGGish-style models)")
        int frames() default 96;

        /** Input layout. */
        @AttributeDefinition(description = "Input layout: n1tf (N,1,frames,64; VGGish), n1ft (N,1,64,frames) or "
                + "nft (N,64,frames)")
        String layout() default "n1tf";

        /** Output to use. */
        @AttributeDefinition(description = "Name of the output to use; empty for the first")
        String output() default "";

        /** Device. */
        @AttributeDefinition(description = "cpu, gpu or gpu:N (falls back to cpu when none is usable)")
        String device() default "cpu";

        /** Silence threshold. */
        @AttributeDefinition(description = "A track whose RMS level is below this is reported as silent")
        double minRms() default 1e-4;

        /** Licence of the model. */
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
    private final String name;
    private final Device device;
    private final Model model;
    private final Predictor<float[], float[]> predictor;
    private final int frames;
    private final String layout;
    private final double minRms;
    private final String version;
    private final int dimension;

    /** Loads the configured model on the platform's ONNX Runtime engine. */
    @Activate
    public OnnxAudioEncoder(@Reference(target = "(nmodal.name=OnnxRuntime)") Engine onnxRuntime,
            @Reference(target = "(nmodal.name=ffmpeg)") MediaDecoder media, Config config)
            throws IOException, MalformedModelException {
        this(onnxRuntime, media, config.nmodal_name(), Path.of(config.model()), config.frames(), config.layout(),
                config.output(), config.device(), config.minRms());
    }

    OnnxAudioEncoder(Engine onnxRuntime, MediaDecoder media, String name, Path file, int frames, String layout,
            String output, String deviceSetting, double minRms) throws IOException, MalformedModelException {
        String l = layout.toLowerCase(Locale.ROOT);
        if (!List.of("n1tf", "n1ft", "nft").contains(l)) {
            throw new IllegalArgumentException(name + ": layout '" + layout + "' (expected n1tf, n1ft or nft)");
        }
        if (frames < 1) {
            throw new IllegalArgumentException(name + ": frames must be at least 1, was " + frames);
        }
        this.media = media;
        this.name = name;
        this.frames = frames;
        this.layout = l;
        this.minRms = minRms;
        this.device = Devices.resolve(deviceSetting, onnxRuntime, name);
        model = OnnxFiles.load(file, device);
        Shape shape = l.equals("n1tf") ? new Shape(1, frames, LogMel.BANDS) : l.equals("n1ft")
                ? new Shape(1, LogMel.BANDS, frames) : new Shape(LogMel.BANDS, frames);
        predictor = model.newPredictor(new Translator<float[], float[]>() {
            @Override
            public NDList processInput(TranslatorContext ctx, float[] window) {
                return new NDList(ctx.getNDManager().create(window, shape));
            }

            @Override
            public float[] processOutput(TranslatorContext ctx, NDList list) {
                return OnnxFiles.output(list, output).toFloatArray();
            }

            @Override
            public Batchifier getBatchifier() {
                return Batchifier.STACK;
            }
        });
        this.version = "onnx/" + file.getFileName() + "/" + Files.size(file) + "/" + frames + "/" + l + "/" + output;
        try {
            this.dimension = embed(new float[LogMel.RATE]).length; // a second of quiet noise-free signal
        } catch (Exception e) {
            close();
            throw new IOException(file + ": the model does not run on a " + frames + "-frame log-mel window in layout "
                    + l + ": " + e.getMessage(), e);
        }
    }

    /** The mean of the model's outputs over the track's windows. */
    private synchronized float[] embed(float[] pcm) throws TranslateException {
        double[][] mel = LogMel.of(pcm).logMel();
        double floor = Math.log(1e-10);
        List<float[]> windows = new ArrayList<>();
        for (int start = 0; start < mel.length; start += frames) {
            float[] w = new float[frames * LogMel.BANDS];
            for (int t = 0; t < frames; t++) {
                for (int b = 0; b < LogMel.BANDS; b++) {
                    double v = start + t < mel.length ? mel[start + t][b] : floor;
                    w[layout.equals("n1tf") ? t * LogMel.BANDS + b : b * frames + t] = (float) v;
                }
            }
            windows.add(w);
        }
        List<float[]> outs = predictor.batchPredict(windows);
        float[] mean = new float[outs.get(0).length];
        for (float[] o : outs) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += o[i] / outs.size();
            }
        }
        return mean;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String modality() {
        return "audio";
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
        return AudioTracks.encode(name, media, minRms, inputs, this::embed);
    }

    /** Frees the model. */
    @Deactivate
    public void close() {
        predictor.close();
        model.close();
    }
}
