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
import org.nmodal.encoder.image.ClassicImageFeatures;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code video-frames} encoder: K sampled frames, pooled image features and motion statistics. */
@Component(service = ModalityEncoder.class, configurationPid = "nmodal.encoder.video.frames", property = {
        NModal.KIND + "=" + NModal.KIND_ENCODER, NModal.NAME + "=video-frames", NModal.MODALITY + "=video",
        NModal.DIMENSION + ":Integer=140", NModal.DEVICE + "=cpu", NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=Sampled frames: pooled colour/edge features and motion"})
@Designate(ocd = FrameVideoEncoder.Config.class)
public final class FrameVideoEncoder implements ModalityEncoder {
    /** Configuration, PID {@code nmodal.encoder.video.frames}. */
    @ObjectClassDefinition(name = "Video encoder (sampled frames)")
    public @interface Config {
        /** Frames sampled per video. */
        @AttributeDefinition(description = "Evenly spaced frames sampled per video")
        int frames() default 8;
    }

    private final MediaDecoder media;
    private final int frames;

    /** Creates the encoder on the platform's media decoder. */
    @Activate
    public FrameVideoEncoder(@Reference(target = "(nmodal.name=ffmpeg)") MediaDecoder media, Config config) {
        if (config.frames() < 2) {
            throw new IllegalArgumentException("video-frames: frames must be at least 2, was " + config.frames());
        }
        this.media = media;
        this.frames = config.frames();
    }

    @Override
    public String name() {
        return "video-frames";
    }

    @Override
    public String modality() {
        return "video";
    }

    @Override
    public int dimension() {
        return FrameSequenceFeatures.DIMENSION;
    }

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public String version() {
        return "frames-v1/" + ClassicImageFeatures.VERSION + "/k" + frames;
    }

    @Override
    public List<Encoding> encode(List<? extends ModalityInput> inputs) {
        List<Encoding> out = new ArrayList<>(inputs.size());
        for (ModalityInput in : inputs) {
            if (!(in instanceof VideoFile file)) {
                out.add(Encoding.failed("video-frames encodes video files, not "
                        + (in == null ? "null" : in.getClass().getSimpleName())));
                continue;
            }
            try {
                out.add(Encoding.of(FrameSequenceFeatures.of(media.frames(file.path(), frames))));
            } catch (MediaException e) {
                out.add(Encoding.failed(e.getMessage()));
            }
        }
        return out;
    }
}
