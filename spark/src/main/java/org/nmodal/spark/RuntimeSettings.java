package org.nmodal.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import org.nmodal.embed.EmbeddedRuntime;

/**
 * Where an embedded runtime comes from, as shipped to the executors: the runtime jar, the work folder and the load
 * folder, each a path that must be valid on every machine (a shared file system, or the same install everywhere).
 */
record RuntimeSettings(String runtimeJar, String work, String load) implements Serializable {
    /**
     * From the pipeline's {@code spark} section, else the JVM properties {@code nmodal.runtime.jar},
     * {@code nmodal.work} and {@code nmodal.load}, else the environment {@code NMODAL_RUNTIME_JAR},
     * {@code NMODAL_WORK}, {@code NMODAL_LOAD}; the jar defaults to {@code runtime/target/nmodal.jar} and the work
     * folder to {@code nmodal-work} in the temporary folder.
     */
    static RuntimeSettings of(PipelineFile.Spark s) {
        String jar = first(s.runtimeJar(), System.getProperty("nmodal.runtime.jar"), System.getenv("NMODAL_RUNTIME_JAR"),
                "runtime/target/nmodal.jar");
        String work = first(s.work(), System.getProperty("nmodal.work"), System.getenv("NMODAL_WORK"),
                Path.of(System.getProperty("java.io.tmpdir"), "nmodal-work").toString());
        String load = first(s.load(), System.getProperty("nmodal.load"), System.getenv("NMODAL_LOAD"), null);
        return new RuntimeSettings(abs(jar), abs(work), load == null ? null : abs(load));
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static String abs(String p) {
        return Path.of(p).toAbsolutePath().normalize().toString();
    }

    EmbeddedRuntime.Options options() {
        EmbeddedRuntime.Options o = EmbeddedRuntime.options(Path.of(runtimeJar)).work(Path.of(work))
                .waitFor(Duration.ofMinutes(2));
        if (load != null) {
            o.load(Path.of(load));
        }
        return o;
    }

    /** This JVM's runtime (one per executor JVM, started by the first task that needs it). */
    EmbeddedRuntime runtime() throws IOException {
        return EmbeddedRuntime.shared(options());
    }
}
