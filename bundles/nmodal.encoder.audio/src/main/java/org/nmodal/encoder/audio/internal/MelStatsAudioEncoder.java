package org.nmodal.encoder.audio.internal;

import java.util.List;
import org.nmodal.api.NModal;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.media.MediaDecoder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@code audio-melstats} encoder: the sound of an audio file or of a video's track, 16 kHz mono, turned into
 * {@link AudioFeatures}. A missing, corrupt or silent track is an error for that post only.
 */
@Component(service = ModalityEncoder.class, configurationPid = "nmodal.encoder.audio.melstats", property = {NModal.KIND + "=" + NModal.KIND_ENCODER,
        NModal.NAME + "=audio-melstats", NModal.MODALITY + "=audio", NModal.DIMENSION + ":Integer=168",
        NModal.DEVICE + "=cpu", NModal.LICENCE + "=Apache-2.0",
        NModal.DESCRIPTION + "=Log-mel band, cepstral, spectral, energy, pitch-trend and tempo statistics"})
@Designate(ocd = MelStatsAudioEncoder.Config.class)
public final class MelStatsAudioEncoder implements ModalityEncoder {
    /** Configuration, PID {@code nmodal.encoder.audio.melstats}. */
    @ObjectClassDefinition(name = "Audio encoder (log-mel statistics)")
    public @interface Config {
        /** Silence threshold. */
        @AttributeDefinition(description = "A track whose RMS level is below this is reported as silent")
        double minRms() default 1e-4;
    }

    private final MediaDecoder media;
    private final double minRms;

    /** Creates the encoder on the platform's media decoder. */
    @Activate
    public MelStatsAudioEncoder(@Reference(target = "(nmodal.name=ffmpeg)") MediaDecoder media, Config config) {
        this.media = media;
        this.minRms = config.minRms();
    }

    @Override
    public String name() {
        return "audio-melstats";
    }

    @Override
    public String modality() {
        return "audio";
    }

    @Override
    public int dimension() {
        return AudioFeatures.DIMENSION;
    }

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public String version() {
        return AudioFeatures.VERSION;
    }

    @Override
    public List<Encoding> encode(List<? extends ModalityInput> inputs) {
        // the loop has checked loudness already: the features need not check it again
        return AudioTracks.encode(name(), media, minRms, inputs, pcm -> AudioFeatures.of(pcm, 0));
    }
}
