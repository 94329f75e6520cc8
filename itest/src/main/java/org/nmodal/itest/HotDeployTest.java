package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.encoder.ModalityEncoder;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/** A bundle dropped into the FileInstall folder becomes a service, and leaves when the file is removed. */
@ExtendWith(BundleContextExtension.class)
class HotDeployTest {
    @InjectBundleContext
    BundleContext context;

    @Test
    void droppedEncoderAppearsAndDisappears() throws Exception {
        Path load = Path.of(context.getProperty("felix.fileinstall.dir"));
        Path jar = Path.of(context.getProperty("nmodal.itest.dropin"));
        assertTrue(Files.isRegularFile(jar), "built drop-in bundle missing: " + jar);
        Files.createDirectories(load);
        ServiceTracker<ModalityEncoder, ModalityEncoder> tracker = new ServiceTracker<>(context,
                FrameworkUtil.createFilter("(&(objectClass=" + ModalityEncoder.class.getName()
                        + ")(nmodal.name=text-hashing))"), null);
        tracker.open();
        try {
            assertNull(tracker.getService(), "text-hashing must not be there before the drop");
            // copy beside the folder, then move: FileInstall never sees half a jar
            Path staged = load.resolveSibling("staged-hashing.jar");
            Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
            long t0 = System.nanoTime();
            Files.move(staged, load.resolve("nmodal.encoder.hashing.jar"), StandardCopyOption.ATOMIC_MOVE);
            ModalityEncoder encoder = tracker.waitForService(15_000);
            long appearedMs = (System.nanoTime() - t0) / 1_000_000;
            assertNotNull(encoder, "dropped encoder did not appear within 15 s");
            assertEquals("text", encoder.modality());
            assertEquals(512, encoder.encode(new TextInput("hot deploy works")).length);
            System.out.println("hot deploy: bundle visible as a service after " + appearedMs + " ms");

            Files.delete(load.resolve("nmodal.encoder.hashing.jar"));
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (tracker.getService() != null && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertNull(tracker.getService(), "encoder still registered 15 s after its file was removed");
        } finally {
            tracker.close();
        }
    }
}
