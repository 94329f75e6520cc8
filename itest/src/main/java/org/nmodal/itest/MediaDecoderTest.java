package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.media.DecodedImage;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.api.media.MediaException;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/** FFmpeg's natives load and decode inside the framework, and bad files fail cleanly there too. */
@ExtendWith(ServiceExtension.class)
class MediaDecoderTest {
    @InjectService(timeout = 30_000)
    MediaDecoder media;

    @TempDir
    Path dir;

    @Test
    void decodesAPortablePixmapThroughFfmpeg() throws Exception {
        // PPM is not an ImageIO format, so this goes through JavaCV and the FFmpeg natives
        Path ppm = dir.resolve("grid.ppm");
        int w = 8;
        int h = 4;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(("P6\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                bytes.write(30 * x);
                bytes.write(60 * y);
                bytes.write(200);
            }
        }
        Files.write(ppm, bytes.toByteArray());
        DecodedImage img = media.image(ppm);
        assertEquals(w, img.width());
        assertEquals(h, img.height());
        assertEquals(30 * 5, img.channel(5, 2, 0));
        assertEquals(60 * 2, img.channel(5, 2, 1));
        assertEquals(200, img.channel(5, 2, 2));
    }

    @Test
    void randomBytesGiveAnErrorNamingTheFile() throws Exception {
        Path junk = dir.resolve("clip.mp4");
        byte[] b = new byte[20_000];
        new Random(3).nextBytes(b);
        Files.write(junk, b);
        MediaException e = assertThrows(MediaException.class, () -> media.frames(junk, 4));
        assertTrue(e.getMessage().startsWith(junk + ": "), e.getMessage());
        e = assertThrows(MediaException.class, () -> media.audio(junk));
        assertTrue(e.getMessage().startsWith(junk + ": "), e.getMessage());
    }
}
