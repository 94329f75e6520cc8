package org.nmodal.media.internal;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/** Writes small real media files for tests. */
final class TestMedia {
    private TestMedia() {}

    /** A PNG whose red channel is 10 * x and green channel 20 * y. */
    static void png(Path file, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((10 * x) & 0xff) << 16 | ((20 * y) & 0xff) << 8 | 0x40);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }

    /**
     * An MP4 (MPEG-4 part 2) of {@code frames} frames at 10 fps whose red level is {@code 8 * i} in frame i,
     * with a 440 Hz sine sound track unless {@code withAudio} is false.
     */
    static void video(Path file, int frames, boolean withAudio, boolean faststart) throws IOException {
        int w = 64;
        int h = 48;
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), w, h, withAudio ? 1 : 0)) {
            r.setFormat("mp4");
            r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            r.setFrameRate(10);
            r.setGopSize(5);
            r.setVideoQuality(2);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            if (faststart) {
                r.setOption("movflags", "faststart");
            }
            if (withAudio) {
                r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                r.setSampleRate(16000);
                r.setAudioChannels(1);
            }
            r.start();
            Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            int sample = 0;
            for (int i = 0; i < frames; i++) {
                ByteBuffer buf = (ByteBuffer) frame.image[0];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int o = y * frame.imageStride + 3 * x;
                        buf.put(o, (byte) (8 * i));
                        buf.put(o + 1, (byte) 60);
                        buf.put(o + 2, (byte) 60);
                    }
                }
                r.record(frame, avutil.AV_PIX_FMT_RGB24);
                if (withAudio) {
                    float[] chunk = new float[1600];
                    for (int k = 0; k < chunk.length; k++, sample++) {
                        chunk[k] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * sample / 16000.0));
                    }
                    r.recordSamples(16000, 1, FloatBuffer.wrap(chunk));
                }
            }
            r.stop();
        }
    }

    /**
     * A Matroska video whose container holds no duration, as a live recording or a stream piped to a file
     * leaves it: written through a non-seekable stream with the muxer's {@code live} option, so the length can
     * never be patched in. Frame i has red level {@code i % 256}.
     */
    static void liveMkv(Path file, int w, int h, int fps, int frames) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
                FFmpegFrameRecorder r = new FFmpegFrameRecorder(out, w, h, 0)) {
            r.setFormat("matroska");
            r.setOption("live", "1");
            r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            r.setFrameRate(fps);
            r.setGopSize(fps);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.start();
            Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            for (int i = 0; i < frames; i++) {
                ByteBuffer buf = (ByteBuffer) frame.image[0];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int o = y * frame.imageStride + 3 * x;
                        buf.put(o, (byte) i);
                        buf.put(o + 1, (byte) 60);
                        buf.put(o + 2, (byte) 60);
                    }
                }
                r.record(frame, avutil.AV_PIX_FMT_RGB24);
            }
            r.stop();
        }
    }

    /** A WAV file: {@code seconds} of a 440 Hz sine at {@code rate} Hz, stereo. */
    static void wav(Path file, double seconds, int rate) throws IOException {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), 2)) {
            r.setFormat("wav");
            r.setAudioCodec(avcodec.AV_CODEC_ID_PCM_S16LE);
            r.setSampleRate(rate);
            r.start();
            int n = (int) (seconds * rate);
            float[] left = new float[n];
            float[] right = new float[n];
            for (int k = 0; k < n; k++) {
                left[k] = right[k] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * k / (double) rate));
            }
            r.recordSamples(rate, 2, FloatBuffer.wrap(left), FloatBuffer.wrap(right));
            r.stop();
        }
    }
}
