package org.nmodal.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.data.FeatureVector;
import org.nmodal.api.data.ImageFile;
import org.nmodal.api.data.TextInput;

class UsageTest {
    @Test
    void usageComesFromDescriptors() {
        String usage = Usage.of(NModalCommands.class, "nmodal", "encode").orElseThrow();
        assertTrue(usage.startsWith("nmodal:encode [-e ENCODER] <modality> <input>\n"), usage);
        assertTrue(usage.contains("highest-ranked"), usage);
        assertTrue(Usage.of(NModalCommands.class, "nmodal", "nope").isEmpty());
        String all = Usage.all(NModalCommands.class, "nmodal");
        for (String c : new String[] {"boot", "components", "encode", "engines", "help"}) {
            assertTrue(all.contains("nmodal:" + c), c);
        }
    }

    @Test
    void tableAlignsColumns() {
        String t = new Table("A", "LONGER").row("xyz", null).row("q", 7).toString();
        assertEquals("A    LONGER\nxyz  -\nq    7\n", t);
    }

    @Test
    void inputsFollowTheModality(@TempDir Path dir) throws Exception {
        assertEquals(new TextInput("hi there"), NModalCommands.toInput("text", "hi there"));
        Path png = Files.createFile(dir.resolve("a.png"));
        assertEquals(new ImageFile(png), NModalCommands.toInput("image", png.toString()));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> NModalCommands.toInput("video", dir.resolve("none.mp4").toString()));
        assertTrue(e.getMessage().startsWith("no such file: "), e.getMessage());
        FeatureVector v = (FeatureVector) NModalCommands.toInput("meta.time", "1, 2.5,-3");
        assertEquals(3, v.values().length);
        assertEquals(2.5f, v.values()[1]);
    }
}
