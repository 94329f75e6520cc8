package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Hashtable;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.media.MediaDecoder;
import org.nmodal.api.media.MediaException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * A configuration value of the wrong type ({@code maxPixels=lots}) is refused with a line naming the PID, key and
 * value (the wording is ConfigSchemaTest's), and the component goes on with its last good configuration instead of
 * failing.
 */
@ExtendWith(ServiceExtension.class)
class ConfigurationCheckTest {
    @InjectService(timeout = 30_000)
    ConfigurationAdmin cm;

    @TempDir
    Path dir;

    /** What decoding the image says now: "ok", or the decoder's message; "none" while no decoder is registered. */
    private static String decode(Path image) {
        BundleContext ctx = FrameworkUtil.getBundle(ConfigurationCheckTest.class).getBundleContext();
        var ref = ctx.getServiceReference(MediaDecoder.class);
        MediaDecoder d = ref == null ? null : ctx.getService(ref);
        if (d == null) {
            return "none";
        }
        try {
            d.image(image);
            return "ok";
        } catch (MediaException e) {
            return e.getMessage();
        } finally {
            ctx.ungetService(ref);
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        await(what, done, () -> "");
    }

    private static void await(String what, java.util.function.BooleanSupplier done,
            java.util.function.Supplier<String> last) throws InterruptedException {
        long end = System.nanoTime() + 90_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for " + what + ": " + last.get());
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aBadValueIsRefusedAndTheLastGoodConfigurationStays() throws Exception {
        Path image = dir.resolve("a.png");
        ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
        Configuration c = cm.getConfiguration("nmodal.media", "?");
        try {
            Hashtable<String, Object> good = new Hashtable<>();
            good.put("maxPixels", "100"); // as a .cfg file gives it: a string
            c.update(good);
            await("the limit of 100", () -> decode(image).endsWith("over the limit of 100"));

            Hashtable<String, Object> bad = new Hashtable<>();
            bad.put("maxPixels", "lots");
            c.update(bad);
            // Declarative Services applies an update asynchronously: give it time to (not) break the decoder
            Thread.sleep(3000);
            String now = decode(image);
            assertTrue(now.endsWith("over the limit of 100"), now);
        } finally {
            c.delete();
        }
        await("the defaults again", () -> decode(image).equals("ok"));
    }
}
