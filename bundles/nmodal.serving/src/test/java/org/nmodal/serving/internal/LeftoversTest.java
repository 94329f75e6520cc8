package org.nmodal.serving.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.TypedConfig;
import org.nmodal.api.pipeline.PipelineService;
import org.nmodal.api.pipeline.WorkFolder;
import org.nmodal.assembly.Parts;

/** A version folder half written when the runtime was killed is removed when serving starts; finished ones stay. */
class LeftoversTest {
    @TempDir
    Path dir;

    @Test
    void theTemporaryFoldersOfAKilledSaveAreRemovedOnStart() throws Exception {
        WorkFolder work = new WorkFolder(dir);
        Path tmp = work.trained("demo").resolve(".v2-4711");
        Files.createDirectories(tmp.resolve("sub"));
        Files.write(tmp.resolve("weights.bin"), new byte[100]);
        Files.write(tmp.resolve("sub/x"), new byte[1]);
        Files.createDirectories(work.version("demo", 1));
        Files.writeString(work.version("demo", 1).resolve("model.json"), "{}");
        Files.createDirectories(work.trained("other").resolve(".v1-1"));
        Files.writeString(work.trained("demo").resolve(".notes"), "a user's file, not a version folder");

        PipelineService pipelines = proxy(PipelineService.class, "work", work);
        Parts parts = proxy(Parts.class, null, null);
        new Serving(pipelines, parts, null, Engine.getEngine("PyTorch"),
                TypedConfig.of(Serving.Config.class, Map.of()));

        assertFalse(Files.exists(tmp), "the half-written version is gone");
        assertFalse(Files.exists(work.trained("other").resolve(".v1-1")));
        assertTrue(Files.isRegularFile(work.version("demo", 1).resolve("model.json")), "a finished version stays");
        assertTrue(Files.isRegularFile(work.trained("demo").resolve(".notes")), "other files stay");
    }

    /** An interface whose method {@code name} answers {@code value}; every other method does nothing. */
    private static <T> T proxy(Class<T> type, String name, Object value) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, m, args) -> m.getName().equals(name) ? value : null));
    }
}
