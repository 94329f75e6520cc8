package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * Every configuration PID the README documents is the one a component reads: a {@code <pid>.cfg} dropped into the
 * load folder (a factory PID as {@code <pid>-itest.cfg}) reaches a component's configuration, as Declarative
 * Services reports it. The PIDs here are the README's Configuration table (build-checks keeps the two in step).
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class DocumentedPidsTest {
    /** PID to whether it is a factory PID. */
    static final Map<String, Boolean> DOCUMENTED = new LinkedHashMap<>();

    static {
        for (String pid : List.of("nmodal.encoder.text.minilm", "nmodal.encoder.text.bge",
                "nmodal.encoder.text.hashing", "nmodal.encoder.video.frames", "nmodal.media", "nmodal.classify.logistic", "nmodal.classify.linear_svm",
                "nmodal.classify.random_forest", "nmodal.web", "nmodal.serving", "nmodal.encoder.audio.melstats",
                "nmodal.encoder.audio.speech", "nmodal.djl", "nmodal.encoder.image.mobilenet",
                "nmodal.encoder.video.mobilenet")) {
            DOCUMENTED.put(pid, false);
        }
        DOCUMENTED.put("nmodal.encoder.image.onnx", true);
        DOCUMENTED.put("nmodal.encoder.audio.onnx", true);
    }

    private static final String MARKER = "nmodal.itest.documented";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    ServiceComponentRuntime scr;

    @Test
    void everyDocumentedPidReachesAComponent() throws Exception {
        // a PID with '-' cannot be set from the load folder (a-b.cfg is instance b of factory a)
        DOCUMENTED.forEach((pid, factory) -> assertTrue(!pid.contains("-"), pid));
        Path load = Path.of(context.getProperty("felix.fileinstall.dir"));
        Path hashingJar = Path.of(context.getProperty("nmodal.itest.dropin"));
        Path audioJar = hashingJar.resolveSibling("nmodal.encoder.audio.jar");
        List<Path> dropped = new ArrayList<>();
        try {
            // the audio PIDs belong to a feature and the hashing PID to an example extension: they are dropped in first
            for (Path jar : List.of(audioJar, hashingJar)) {
                Path staged = load.resolveSibling("staged-pids-" + jar.getFileName());
                Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
                Files.move(staged, load.resolve("pids-" + jar.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                dropped.add(load.resolve("pids-" + jar.getFileName()));
            }
            for (Map.Entry<String, Boolean> e : DOCUMENTED.entrySet()) {
                String file = e.getKey() + (e.getValue() ? "-itest" : "") + ".cfg";
                Path tmp = load.resolveSibling(file + ".part");
                Files.writeString(tmp, MARKER + "=" + e.getKey() + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, load.resolve(file), StandardCopyOption.ATOMIC_MOVE);
                dropped.add(load.resolve(file));
            }
            TreeSet<String> missing = new TreeSet<>(DOCUMENTED.keySet());
            long deadline = System.nanoTime() + 90_000_000_000L;
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                missing.removeAll(reached());
                Thread.sleep(200);
            }
            assertEquals(new TreeSet<>(), missing, "documented PIDs that no component read");
            // one PID, two readers: the HTTP server (host, port, token) and the served pipelines (encodeTimeoutMs)
            assertTrue(readers("nmodal.serving").containsAll(List.of("org.nmodal.http.internal.HttpServer",
                    "org.nmodal.serving.internal.Serving")), "nmodal.serving read by " + readers("nmodal.serving"));
        } finally {
            for (Path p : dropped) {
                Files.deleteIfExists(p);
            }
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!reached().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(reached().isEmpty(), "the configurations went with their files: " + reached());
        // the platform restarted what the configurations touched (the engines, and so the encoders): let it settle
        for (Class<?> type : List.of(org.nmodal.api.pipeline.PipelineService.class,
                org.nmodal.api.serving.ServingService.class, org.nmodal.http.HttpStatus.class)) {
            org.osgi.util.tracker.ServiceTracker<?, ?> t = new org.osgi.util.tracker.ServiceTracker<>(context,
                    type.getName(), null);
            t.open();
            try {
                assertTrue(t.waitForService(120_000) != null, type.getSimpleName() + " is back");
            } finally {
                t.close();
            }
        }
    }

    /** The components whose configuration carries the marker of a PID. */
    private TreeSet<String> readers(String pid) {
        TreeSet<String> out = new TreeSet<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.properties != null && pid.equals(c.properties.get(MARKER))) {
                    out.add(d.name);
                }
            }
        }
        return out;
    }

    /** The PIDs whose marker some component configuration carries now. */
    private TreeSet<String> reached() {
        TreeSet<String> out = new TreeSet<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                Object marker = c.properties == null ? null : c.properties.get(MARKER);
                if (marker != null) {
                    out.add(marker.toString());
                }
            }
        }
        return out;
    }
}
