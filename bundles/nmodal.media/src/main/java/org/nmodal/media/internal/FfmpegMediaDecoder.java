package org.nmodal.media.internal;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.nmodal.api.NModal;
import org.nmodal.api.media.AudioClip;
import org.nmodal.api.media.DecodedImage;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.api.media.MediaException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@link MediaDecoder} on FFmpeg through JavaCV. Each call opens its own grabber, so calls run in parallel
 * safely. PNG, JPEG, BMP and GIF stills go through the JDK's ImageIO readers, which read the size before the
 * pixels; a JPEG the JDK refuses (CMYK/YCCK, an ICC profile that does not fit its components, e.g. a grey profile on
 * a colour image) is read again by the embedded TwelveMonkeys reader, and anything still unread by FFmpeg.
 */
@Component(configurationPid = "nmodal.media", property = {
        NModal.KIND + "=" + NModal.KIND_MEDIA, NModal.NAME + "=ffmpeg", NModal.LICENCE + "=LGPL-2.1-or-later",
        NModal.DESCRIPTION + "=FFmpeg " + "decoding with size, pixel and duration limits"})
@Designate(ocd = FfmpegMediaDecoder.Config.class)
public final class FfmpegMediaDecoder implements MediaDecoder {
    /** Limits, from Config Admin PID {@code nmodal.media}. */
    @ObjectClassDefinition(name = "nmodal media decoding", description = "Limits for decoding media files")
    public @interface Config {
        /** Largest file, bytes. */
        @AttributeDefinition(description = "Largest media file accepted, in bytes")
        long maxFileBytes() default 512L << 20;

        /** Largest image or frame, pixels. */
        @AttributeDefinition(description = "Largest image or video frame accepted, in pixels (width x height)")
        long maxPixels() default 16_000_000L;

        /** Longest video, seconds. */
        @AttributeDefinition(description = "Longest video accepted, in seconds")
        double maxVideoSeconds() default 600;

        /** Longest audio, seconds. */
        @AttributeDefinition(description = "Longest audio accepted, in seconds")
        double maxAudioSeconds() default 600;
    }

    static final int AUDIO_RATE = 16_000;
    /** Frame rate assumed for the frame cap when a stream states none, or an implausible one (Matroska's 1000). */
    static final double MAX_FPS = 240;
    private static final List<String> IMAGEIO_SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private final MediaLimits limits;
    /** Frames converted to RGB and copied to the heap, over this decoder's life; tests bound it. */
    final AtomicLong framesConverted = new AtomicLong();
    /** Test seam: told the number of frames grabbed so far while scanning a stream of unknown length. */
    volatile LongConsumer onGrab = n -> { };

    /** Creates the decoder from its configuration. */
    @Activate
    public FfmpegMediaDecoder(Config config) {
        this(new MediaLimits(config.maxFileBytes(), config.maxPixels(), config.maxVideoSeconds(),
                config.maxAudioSeconds()));
    }

    FfmpegMediaDecoder(MediaLimits limits) {
        this.limits = limits;
        // Errors reach callers as MediaExceptions; FFmpeg's own chatter on stderr would only be noise in batches.
        avutil.av_log_set_level(avutil.AV_LOG_QUIET);
        ImageIO.setUseCache(false);
    }

    @Override
    public DecodedImage image(Path file) throws MediaException {
        checkFile(file);
        checkDeclaredPixels(file);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (IMAGEIO_SUFFIXES.stream().anyMatch(name::endsWith)) {
            DecodedImage image = imageIoDecode(file);
            if (image != null) {
                return image;
            }
        }
        try (FFmpegFrameGrabber grabber = open(file, true)) {
            checkPixels(file, grabber.getImageWidth(), grabber.getImageHeight());
            Frame frame = grabber.grabImage();
            if (frame == null || frame.image == null) {
                throw new MediaException(file, "no decodable image");
            }
            return toImage(frame, 0);
        } catch (FrameGrabber.Exception e) {
            throw new MediaException(file, "cannot decode image: " + oneLine(e), e);
        }
    }

    @Override
    public List<DecodedImage> frames(Path file, int count) throws MediaException {
        if (count < 1) {
            throw new IllegalArgumentException("frame count must be at least 1, was " + count);
        }
        checkFile(file);
        checkDeclaredPixels(file);
        long videoFrames;
        try (FFmpegFrameGrabber grabber = open(file, true)) {
            if (!grabber.hasVideo() || grabber.getImageWidth() <= 0) {
                throw new MediaException(file, "no video stream");
            }
            checkPixels(file, grabber.getImageWidth(), grabber.getImageHeight());
            long lengthUs = grabber.getLengthInTime();
            double seconds = lengthUs / 1e6;
            if (seconds > limits.maxVideoSeconds()) {
                throw new MediaException(file, String.format(Locale.ROOT,
                        "video is %.1f s long, over the limit of %.1f s", seconds, limits.maxVideoSeconds()));
            }
            if (lengthUs > 0) {
                return seekFrames(file, grabber, count, lengthUs);
            }
            videoFrames = countVideoPackets(file, grabber);
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new MediaException(file, "cannot decode video: " + oneLine(e), e);
        }
        // a fresh grabber rather than a seek back: a container without a duration often has no index to seek by
        try (FFmpegFrameGrabber grabber = open(file, true)) {
            return pickFrames(file, grabber, count, videoFrames);
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new MediaException(file, "cannot decode video: " + oneLine(e), e);
        }
    }

    /** Seeks to the middle of each of {@code count} equal slices; a missing frame means the file is cut short. */
    private List<DecodedImage> seekFrames(Path file, FFmpegFrameGrabber grabber, int count, long lengthUs)
            throws FrameGrabber.Exception, MediaException {
        List<DecodedImage> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            checkNotInterrupted(file);
            long t = (long) ((i + 0.5) * lengthUs / count);
            grabber.setVideoTimestamp(t);
            Frame frame = grabber.grabImage();
            if (frame == null || frame.image == null) {
                throw new MediaException(file, String.format(Locale.ROOT,
                        "truncated or corrupt: no frame at %.2f s of %.2f s", t / 1e6, lengthUs / 1e6));
            }
            frames.add(toImage(frame, frame.timestamp / 1e6));
        }
        return frames;
    }

    /**
     * The number of video frames of a stream whose container states no length, from its packets (read, not
     * decoded). The count is capped at the duration limit times the frame rate, so a stream that never ends, or
     * whose timestamps lie, costs bounded time.
     */
    private long countVideoPackets(Path file, FFmpegFrameGrabber grabber) throws FrameGrabber.Exception, MediaException {
        int stream = grabber.getVideoStream();
        AVRational timeBase = stream >= 0 ? grabber.getFormatContext().streams(stream).time_base() : null;
        double secondsPerTick = timeBase != null && timeBase.den() > 0 ? timeBase.num() / (double) timeBase.den() : 0;
        long maxFrames = maxVideoFrames(grabber.getVideoFrameRate());
        long n = 0;
        AVPacket packet;
        while ((packet = grabber.grabPacket()) != null) {
            checkNotInterrupted(file);
            if (packet.stream_index() != stream) {
                continue;
            }
            long pts = packet.pts() != avutil.AV_NOPTS_VALUE ? packet.pts() : packet.dts();
            if (++n > maxFrames || pts != avutil.AV_NOPTS_VALUE && pts * secondsPerTick > limits.maxVideoSeconds()) {
                throw new MediaException(file, "video is longer than the limit of " + limits.maxVideoSeconds() + " s");
            }
        }
        if (n == 0) {
            throw new MediaException(file, "no decodable video frames");
        }
        return n;
    }

    /**
     * Decodes up to the last of {@code count} evenly spaced frames out of {@code total}, converting to RGB and
     * copying only those kept, so memory holds at most {@code count} images whatever the stream's length.
     */
    private List<DecodedImage> pickFrames(Path file, FFmpegFrameGrabber grabber, int count, long total)
            throws FrameGrabber.Exception, MediaException {
        int n = (int) Math.min(count, total);
        long[] wanted = new long[n];
        for (int i = 0; i < n; i++) {
            wanted[i] = (long) ((i + 0.5) * total / n);
        }
        List<DecodedImage> picked = new ArrayList<>(n);
        long index = 0;
        while (picked.size() < n) {
            checkNotInterrupted(file);
            boolean keep = index == wanted[picked.size()];
            Frame frame = grabber.grabFrame(false, true, keep, false);
            onGrab.accept(++index);
            if (frame == null) {
                break;
            }
            if (frame.timestamp / 1e6 > limits.maxVideoSeconds()) {
                throw new MediaException(file, "video is longer than the limit of " + limits.maxVideoSeconds() + " s");
            }
            if (keep && frame.image != null) {
                picked.add(toImage(frame, frame.timestamp / 1e6));
            }
        }
        if (picked.isEmpty()) {
            throw new MediaException(file, "no decodable video frames");
        }
        return picked;
    }

    /** The most frames a video within the duration limit can have; an unknown or absurd rate counts as the highest. */
    long maxVideoFrames(double framesPerSecond) {
        double fps = framesPerSecond > 0 && framesPerSecond <= MAX_FPS ? framesPerSecond : MAX_FPS;
        return (long) Math.ceil(limits.maxVideoSeconds() * fps) + 1;
    }

    /**
     * A caller that gave up (a request's time limit cancels with an interrupt) must not leave FFmpeg decoding:
     * the loops stop here, and the grabber's close frees the native buffers. The interrupt stays set for the caller.
     */
    private static void checkNotInterrupted(Path file) throws MediaException {
        if (Thread.currentThread().isInterrupted()) {
            throw new MediaException(file, "decode stopped: the thread was interrupted");
        }
    }

    @Override
    public AudioClip audio(Path file) throws MediaException {
        checkFile(file);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.setSampleRate(AUDIO_RATE);
            grabber.setAudioChannels(1);
            grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            grabber.start();
            if (!grabber.hasAudio()) {
                throw new MediaException(file, "no audio track");
            }
            double seconds = grabber.getLengthInTime() / 1e6;
            if (seconds > limits.maxAudioSeconds()) {
                throw new MediaException(file, String.format(Locale.ROOT,
                        "audio is %.1f s long, over the limit of %.1f s", seconds, limits.maxAudioSeconds()));
            }
            long maxSamples = (long) (limits.maxAudioSeconds() * AUDIO_RATE);
            float[] pcm = new float[Math.max(1024, (int) Math.min(maxSamples, (long) (seconds * AUDIO_RATE) + 1024))];
            int n = 0;
            Frame frame;
            while ((frame = grabber.grabSamples()) != null) {
                checkNotInterrupted(file);
                if (frame.samples == null) {
                    continue;
                }
                FloatBuffer buffer = (FloatBuffer) frame.samples[0];
                int k = buffer.remaining();
                if (n + k > maxSamples) {
                    throw new MediaException(file, "audio is longer than the limit of " + limits.maxAudioSeconds() + " s");
                }
                if (n + k > pcm.length) {
                    pcm = Arrays.copyOf(pcm, Math.max(pcm.length * 2, n + k));
                }
                buffer.get(pcm, n, k);
                n += k;
            }
            if (n == 0) {
                throw new MediaException(file, "no decodable audio samples");
            }
            return new AudioClip(AUDIO_RATE, Arrays.copyOf(pcm, n));
        } catch (FrameGrabber.Exception e) {
            throw new MediaException(file, "cannot decode audio: " + oneLine(e), e);
        }
    }

    private FFmpegFrameGrabber open(Path file, boolean rgb) throws FrameGrabber.Exception {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        if (rgb) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
        }
        try {
            grabber.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            grabber.close();
            throw e;
        }
        return grabber;
    }

    private DecodedImage imageIoDecode(Path file) throws MediaException {
        try {
            return imageIoDecode(file, null);
        } catch (MediaException e) {
            if (!isJpeg(file)) {
                throw e;
            }
            try {
                return imageIoDecode(file, TWELVEMONKEYS_JPEG.createReaderInstance(null));
            } catch (IOException | RuntimeException second) {
                throw e;
            } catch (MediaException second) {
                throw new MediaException(file, e.getMessage().replace(file + ": ", "") + "; TwelveMonkeys: "
                        + second.getMessage().replace(file + ": ", ""), second);
            }
        }
    }

    /**
     * The TwelveMonkeys JPEG reader, not registered with ImageIO (a registry entry would outlive this bundle and
     * change every other JPEG decode in the JVM); onRegistration only finds the JDK reader it delegates to.
     */
    private static final ImageReaderSpi TWELVEMONKEYS_JPEG = twelveMonkeysJpeg();

    private static ImageReaderSpi twelveMonkeysJpeg() {
        JPEGImageReaderSpi spi = new JPEGImageReaderSpi();
        spi.onRegistration(IIORegistry.getDefaultInstance(), ImageReaderSpi.class);
        return spi;
    }

    private static boolean isJpeg(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(3);
            return head.length == 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF;
        } catch (IOException e) {
            return false;
        }
    }

    /** Decodes with {@code chosen}, or with the first JDK reader for the file (null when there is none). */
    private DecodedImage imageIoDecode(Path file, ImageReader chosen) throws MediaException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = chosen;
            if (reader == null) {
                Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
                while (readers != null && readers.hasNext() && reader == null) {
                    ImageReader next = readers.next();
                    // the JDK's readers first, so every image that decoded before decodes to the same pixels
                    if (next.getOriginatingProvider() instanceof JPEGImageReaderSpi) {
                        next.dispose();
                    } else {
                        reader = next;
                    }
                }
                if (reader == null) {
                    return null;
                }
            }
            try {
                reader.setInput(in, true, true);
                checkPixels(file, reader.getWidth(0), reader.getHeight(0));
                BufferedImage img = reader.read(0);
                if (chosen == null && img.getRaster().getNumBands() == 4 && !img.getColorModel().hasAlpha()
                        && isJpeg(file)) {
                    // the JDK reads CMYK and YCCK JPEGs without error but hands back the raw ink samples as colours;
                    // TwelveMonkeys converts them (Adobe inversion, a CMYK profile) to RGB
                    throw new MediaException(file, "four-channel (CMYK/YCCK) JPEG");
                }
                return toImage(img);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new MediaException(file, "cannot decode image: " + oneLine(e), e);
        }
    }

    /**
     * The size a still image's header declares, checked before any decoder sees the file (whatever its name): FFmpeg
     * decodes a first frame just to learn the size.
     */
    private void checkDeclaredPixels(Path file) throws MediaException {
        long[] size;
        try {
            size = ImageHeader.size(file);
        } catch (IOException e) {
            throw new MediaException(file, "cannot read: " + oneLine(e), e);
        }
        if (size != null && size[0] * size[1] > limits.maxPixels()) {
            throw new MediaException(file, "declares " + size[0] + "x" + size[1] + " pixels, over the limit of "
                    + limits.maxPixels());
        }
    }

    private void checkFile(Path file) throws MediaException {
        if (!Files.isRegularFile(file)) {
            throw new MediaException(file, "no such file");
        }
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new MediaException(file, "empty file");
            }
            if (size > limits.maxFileBytes()) {
                throw new MediaException(file, "file is " + size + " bytes, over the limit of " + limits.maxFileBytes());
            }
        } catch (IOException e) {
            throw new MediaException(file, "cannot read: " + oneLine(e), e);
        }
    }

    private void checkPixels(Path file, int width, int height) throws MediaException {
        if (width <= 0 || height <= 0) {
            throw new MediaException(file, "no image size (" + width + "x" + height + ")");
        }
        if ((long) width * height > limits.maxPixels()) {
            throw new MediaException(file, width + "x" + height + " pixels, over the limit of " + limits.maxPixels());
        }
    }

    private DecodedImage toImage(Frame frame, double seconds) {
        framesConverted.incrementAndGet();
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        ByteBuffer src = ((ByteBuffer) frame.image[0]).duplicate();
        int stride = frame.imageStride;
        byte[] rgb = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            src.position(y * stride);
            src.get(rgb, y * 3 * w, 3 * w);
        }
        return new DecodedImage(w, h, rgb, seconds);
    }

    private static DecodedImage toImage(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] row = new int[w];
        byte[] rgb = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int o = 3 * (y * w + x);
                rgb[o] = (byte) (p >> 16);
                rgb[o + 1] = (byte) (p >> 8);
                rgb[o + 2] = (byte) p;
            }
        }
        return new DecodedImage(w, h, rgb, 0);
    }

    /** The first line of a message, without JavaCV's hints for its own callers ("Has setFormat() been called?"). */
    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        if (m.contains("avformat_open_input()")) {
            return "not a readable media file (corrupt, truncated or an unknown format)";
        }
        int hint = m.indexOf(" (Has setFormat");
        m = hint < 0 ? m : m.substring(0, hint);
        hint = m.indexOf(" (For more details");
        return hint < 0 ? m : m.substring(0, hint);
    }
}
