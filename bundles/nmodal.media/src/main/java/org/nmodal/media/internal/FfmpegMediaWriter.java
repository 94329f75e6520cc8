package org.nmodal.media.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.nmodal.api.NModal;
import org.nmodal.api.media.AudioClip;
import org.nmodal.api.media.DecodedImage;
import org.nmodal.api.media.MediaException;
import org.nmodal.api.media.MediaWriter;
import org.osgi.service.component.annotations.Component;

/** {@link MediaWriter} on ImageIO (PNG) and FFmpeg through JavaCV (MP4 with MPEG-4 video and AAC sound, WAV). */
@Component(property = {NModal.KIND + "=" + NModal.KIND_MEDIA, NModal.NAME + "=ffmpeg-writer",
        NModal.LICENCE + "=LGPL-2.1-or-later", NModal.DESCRIPTION + "=Writes PNG, MP4 and WAV files"})
public final class FfmpegMediaWriter implements MediaWriter {
    @Override
    public void png(Path file, DecodedImage image) throws MediaException {
        BufferedImage img = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                img.setRGB(x, y, image.channel(x, y, 0) << 16 | image.channel(x, y, 1) << 8 | image.channel(x, y, 2));
            }
        }
        Path tmp = temp(file, ".png");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) {
                throw new MediaException(file, "no PNG writer");
            }
        } catch (IOException e) {
            delete(tmp);
            throw new MediaException(file, "cannot write: " + e.getMessage(), e);
        }
        publish(tmp, file);
    }

    @Override
    public void mp4(Path file, List<DecodedImage> frames, double fps, AudioClip audio) throws MediaException {
        if (frames.isEmpty()) {
            throw new MediaException(file, "no frames to write");
        }
        int w = frames.get(0).width();
        int h = frames.get(0).height();
        Path tmp = temp(file, ".mp4");
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(tmp.toFile(), w, h, audio == null ? 0 : 1)) {
            r.setFormat("mp4");
            r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            r.setFrameRate(fps);
            r.setGopSize(Math.max(1, (int) Math.round(fps)));
            r.setVideoQuality(3);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            if (audio != null) {
                r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                r.setSampleRate(audio.sampleRate());
                r.setAudioChannels(1);
                r.setAudioBitrate(48_000);
            }
            r.start();
            Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            int perFrame = audio == null ? 0 : (int) Math.round(audio.sampleRate() / fps);
            for (int i = 0; i < frames.size(); i++) {
                DecodedImage img = frames.get(i);
                if (img.width() != w || img.height() != h) {
                    throw new MediaException(file, "frame " + i + " is " + img.width() + "x" + img.height()
                            + ", the first is " + w + "x" + h);
                }
                ByteBuffer buf = (ByteBuffer) frame.image[0];
                for (int y = 0; y < h; y++) {
                    buf.position(y * frame.imageStride);
                    buf.put(img.rgb(), 3 * y * w, 3 * w);
                }
                buf.position(0);
                r.record(frame, avutil.AV_PIX_FMT_RGB24);
                if (audio != null) {
                    int from = i * perFrame;
                    int to = i == frames.size() - 1 ? audio.samples().length : Math.min(audio.samples().length, from + perFrame);
                    if (from < to) {
                        r.recordSamples(audio.sampleRate(), 1, FloatBuffer.wrap(audio.samples(), from, to - from));
                    }
                }
            }
            r.stop();
        } catch (FrameRecorder.Exception e) {
            delete(tmp);
            throw new MediaException(file, "cannot encode: " + e.getMessage(), e);
        }
        publish(tmp, file);
    }

    @Override
    public void wav(Path file, AudioClip audio) throws MediaException {
        Path tmp = temp(file, ".wav");
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(tmp.toFile(), 1)) {
            r.setFormat("wav");
            r.setAudioCodec(avcodec.AV_CODEC_ID_PCM_S16LE);
            r.setSampleRate(audio.sampleRate());
            r.start();
            r.recordSamples(audio.sampleRate(), 1, FloatBuffer.wrap(audio.samples()));
            r.stop();
        } catch (FrameRecorder.Exception e) {
            delete(tmp);
            throw new MediaException(file, "cannot encode: " + e.getMessage(), e);
        }
        publish(tmp, file);
    }

    /** Moves a finished temporary file into place. */
    private static void publish(Path tmp, Path file) throws MediaException {
        try {
            move(tmp, file);
        } catch (IOException e) {
            throw new MediaException(file, "cannot write: " + e.getMessage(), e);
        } finally {
            delete(tmp);
        }
    }

    private static Path temp(Path file, String suffix) throws MediaException {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            // the suffix stays last: FFmpeg picks the container from it
            return dir.resolve("." + file.getFileName() + ".part" + System.nanoTime() + suffix);
        } catch (IOException e) {
            throw new MediaException(file, "cannot create its folder: " + e.getMessage(), e);
        }
    }

    private static void move(Path tmp, Path file) throws IOException {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void delete(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // best effort: a stray temporary file is harmless
        }
    }
}
