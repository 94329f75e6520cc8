package org.nmodal.encoder.video.internal;

import java.util.ArrayList;
import java.util.List;
import org.nmodal.api.NModal;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.VideoFile;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.api.media.MediaException;
import org.nmodal.encoder.image.FrameEmbedder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code video-mobilenet}: the image network of {@code image-mobilenet} on K evenly sampled frames, pooled over time
 * as the mean and the maximum of the frame vectors, plus the temporal change (the mean absolute difference between
 * consecutive frames' vectors: zeros for a one-frame video). A video with no decodable frame is a per-post error.
 */
@Component(service = ModalityEncoder.class, configurationPid = MobileNetVideoEncoder.PID, property = {
        NModal.KIND + "=" + NModal.KIND_ENCODER, NModal.NAME + "=video-mobilenet", NModal.MODALITY + "=video",
        NModal.DIMENSION + ":Integer=5376",
        NModal.LICENCE + "=MIT",
        NModal.DESCRIPTION + "=MobileNetV2-1.4 on sampled frames: mean, max and temporal change (3 x 1792-d)",
        "nmodal.model.origin=npm nsfwjs 4.4.0 mobilenet_v2_mid (TensorFlow.js, converted to ONNX by nmodal)",
        "nmodal.model.licence=MIT (ImageNet base Apache-2.0)"})
@Designate(ocd = MobileNetVideoEncoder.Config.class)
public final class MobileNetVideoEncoder implements ModalityEncoder {
    /** Configuration PID. */
    public static final String PID = "nmodal.encoder.video.mobilenet";

    /** Configuration, PID {@code nmodal.encoder.video.mobilenet}. */
    @ObjectClassDefinition(name = "Video encoder (MobileNetV2 on sampled frames)")
    public @interface Config {
        /** Frames sampled per video. */
        @AttributeDefinition(description = "Evenly spaced frames sampled per video")
        int frames() default 8;
    }

    private final MediaDecoder media;
    private final FrameEmbedder network;
    private final int frames;

    /** The encoder on the platform's decoder and the image network's frame embedder. */
    @Activate
    public MobileNetVideoEncoder(@Reference(target = "(nmodal.name=ffmpeg)") MediaDecoder media,
            @Reference(target = "(nmodal.name=image-mobilenet)") FrameEmbedder network, Config config) {
        this(media, network, config.frames());
    }

    /** The same encoder outside OSGi (tests, benchmarks). */
    public MobileNetVideoEncoder(MediaDecoder media, FrameEmbedder network, int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("video-mobilenet: frames must be at least 1, was " + frames);
        }
        this.media = media;
        this.network = network;
        this.frames = frames;
    }

    @Override
    public String name() {
        return "video-mobilenet";
    }

    @Override
    public String modality() {
        return "video";
    }

    @Override
    public int dimension() {
        return 3 * network.dimension();
    }

    @Override
    public String device() {
        return network instanceof ModalityEncoder e ? e.device() : "cpu";
    }

    @Override
    public String version() {
        return "mobilenet-frames-v1/" + network.version() + "/k" + frames;
    }

    @Override
    public List<Encoding> encode(List<? extends ModalityInput> inputs) {
        List<Encoding> out = new ArrayList<>(inputs.size());
        for (ModalityInput in : inputs) {
            if (!(in instanceof VideoFile file)) {
                out.add(Encoding.failed("video-mobilenet encodes video files, not "
                        + (in == null ? "null" : in.getClass().getSimpleName())));
                continue;
            }
            try {
                out.add(Encoding.of(pool(network.embed(media.frames(file.path(), frames)), network.dimension())));
            } catch (MediaException e) {
                out.add(Encoding.failed(e.getMessage()));
            } catch (Exception e) {
                out.add(Encoding.failed("video-mobilenet: " + file.path() + ": " + e.getMessage()));
            }
        }
        return out;
    }

    /** Mean, max and mean absolute frame-to-frame change of the frame vectors, side by side. */
    static float[] pool(List<float[]> vectors, int d) {
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("no frames");
        }
        float[] out = new float[3 * d];
        java.util.Arrays.fill(out, d, 2 * d, Float.NEGATIVE_INFINITY);
        for (int t = 0; t < vectors.size(); t++) {
            float[] v = vectors.get(t);
            for (int j = 0; j < d; j++) {
                out[j] += v[j] / vectors.size();
                out[d + j] = Math.max(out[d + j], v[j]);
                if (t > 0) {
                    out[2 * d + j] += Math.abs(v[j] - vectors.get(t - 1)[j]) / (vectors.size() - 1);
                }
            }
        }
        return out;
    }
}
