package org.nmodal.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.data.ImageFile;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;

/** The real runtime jar started in this JVM: services cross as nmodal.api types, bad inputs stay per input. */
class EmbeddedRuntimeTest {
    static EmbeddedRuntime nmodal;

    @BeforeAll
    static void start() throws Exception {
        Path jar = Path.of(System.getProperty("nmodal.runtime.jar", "../runtime/target/nmodal.jar"));
        Path work = Path.of(System.getProperty("nmodal.test.work", "target/work"));
        nmodal = EmbeddedRuntime.start(EmbeddedRuntime.options(jar).work(work).waitFor(Duration.ofSeconds(60)));
    }

    @AfterAll
    static void stop() {
        if (nmodal != null) {
            nmodal.close();
        }
    }

    @Test
    void sharesTheApiPackagesWithoutDjlTypes() {
        List<String> names = nmodal.sharedPackages().stream().map(Headers::name).toList();
        assertTrue(names.containsAll(List.of("org.nmodal.api", "org.nmodal.api.data", "org.nmodal.api.encoder",
                "org.nmodal.api.classify", "org.nmodal.api.pipeline", "org.nmodal.api.serving")), names.toString());
        assertFalse(names.contains("org.nmodal.api.loss"), names.toString());
        assertFalse(names.contains("org.nmodal.api.fusion"), names.toString());
        assertTrue(nmodal.sharedPackages().stream().allMatch(p -> p.contains(";version=")));
    }

    @Test
    void listsThePartsByKind() {
        List<String> encoders = nmodal.names("encoder");
        assertTrue(encoders.containsAll(List.of("minilm", "image-classic", "video-frames")), encoders.toString());
        assertTrue(nmodal.names("loss").contains("nmodal-infonce"), nmodal.names("loss").toString());
        assertTrue(nmodal.names("classifier").contains("logistic"), nmodal.names("classifier").toString());
    }

    @Test
    void minilmFromTheHostRanksAParaphraseAboveUnrelatedText() throws Exception {
        ModalityEncoder minilm = nmodal.encoder("minilm");
        assertEquals("text", minilm.modality());
        float[] a = minilm.encode(new TextInput("the new phone has a great camera"));
        float[] b = minilm.encode(new TextInput("this smartphone takes excellent photos"));
        float[] c = minilm.encode(new TextInput("the striker scored twice in the final"));
        assertEquals(minilm.dimension(), a.length);
        assertTrue(cos(a, b) > cos(a, c) + 0.1, cos(a, b) + " vs " + cos(a, c));
    }

    @Test
    void aCorruptImageFailsOnlyItself(@TempDir Path dir) throws Exception {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                img.setRGB(x, y, (x * 8) << 16 | (y * 8) << 8 | 90);
            }
        }
        Path good = dir.resolve("good.png");
        ImageIO.write(img, "png", good.toFile());
        Path bad = dir.resolve("bad.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        ModalityEncoder enc = nmodal.encoder("image-classic");
        try (GuardedEncoding guard = new GuardedEncoding()) {
            List<Encoding> out = guard.encode(enc, List.of(new ImageFile(good), new ImageFile(bad)), 60_000);
            assertTrue(out.get(0).ok(), String.valueOf(out.get(0).error()));
            assertEquals(enc.dimension(), out.get(0).vector().length);
            assertFalse(out.get(1).ok());
            assertTrue(out.get(1).error().length() > 0);
        }
    }

    @Test
    void anUnknownEncoderNamesTheOnesThereAre() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> nmodal.encoder("gpt-9", Duration.ofMillis(300)));
        assertTrue(e.getMessage().contains("gpt-9") && e.getMessage().contains("minilm"), e.getMessage());
    }

    @Test
    void theSameServiceInstanceIsHandedOutAgain() {
        assertSame(nmodal.pipelines(), nmodal.pipelines());
        assertTrue(nmodal.startMillis() > 0);
        assertNull(System.getProperty("nmodal.embedded.never.set"));
    }

    private static double cos(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
