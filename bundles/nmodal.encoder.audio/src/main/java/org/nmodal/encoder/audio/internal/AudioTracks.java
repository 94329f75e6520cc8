package org.nmodal.encoder.audio.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nmodal.api.data.AudioFile;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.VideoFile;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.api.media.MediaException;

/**
 * The one loop every audio encoder runs: the sound track of each audio or video file decoded to 16 kHz mono, too
 * quiet or too short tracks refused, the rest turned into a vector; every failure is that input's one line, never
 * the batch's.
 */
final class AudioTracks {
    /** From a track's samples to its vector. */
    interface Vectoriser {
        float[] apply(float[] pcm) throws Exception;
    }

    private AudioTracks() {}

    static List<Encoding> encode(String name, MediaDecoder media, double minRms, List<? extends ModalityInput> inputs,
            Vectoriser vectoriser) {
        List<Encoding> out = new ArrayList<>(inputs.size());
        for (ModalityInput in : inputs) {
            Path path = in instanceof AudioFile a ? a.path() : in instanceof VideoFile v ? v.path() : null;
            if (path == null) {
                out.add(Encoding.failed(name + " encodes audio or video files, not "
                        + (in == null ? "null" : in.getClass().getSimpleName())));
                continue;
            }
            try {
                float[] pcm = media.audio(path).samples();
                AudioFeatures.checkAudible(pcm, minRms);
                out.add(Encoding.of(vectoriser.apply(pcm)));
            } catch (MediaException e) {
                out.add(Encoding.failed(e.getMessage()));
            } catch (IllegalArgumentException e) {
                out.add(Encoding.failed(path + ": " + e.getMessage()));
            } catch (Exception e) {
                out.add(Encoding.failed(path + ": " + name + " failed: " + firstLine(e)));
            }
        }
        return out;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage()).strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
