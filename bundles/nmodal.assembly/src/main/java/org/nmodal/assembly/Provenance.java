package org.nmodal.assembly;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.nmodal.api.pipeline.PipelineSpec;
import java.util.stream.Stream;

/**
 * The provenance manifest of a trained model or a run: every component used (name, bundle and version, licence,
 * pretrained model origin), the pipeline file's hash, the data set's fingerprint, the seed and the times.
 */
public final class Provenance {
    private static final long HASHED_BYTES = 64L << 20;

    private Provenance() {}

    /**
     * Builds the manifest.
     *
     * @param encoders encoder name per modality (empty for feature tables)
     * @param classifiers classifier names used
     */
    public static JsonObject manifest(Parts registry, PipelineSpec spec, Map<String, String> encoders,
            List<String> classifiers, String started, double seconds) {
        JsonObject o = new JsonObject();
        o.addProperty("pipeline", spec.id());
        o.addProperty("pipelineFile", spec.file().toString());
        o.addProperty("pipelineSha256", sha256(spec.file()));
        o.addProperty("data", spec.dataPath().toString());
        o.addProperty("dataFingerprint", fingerprint(spec.dataPath()));
        o.addProperty("seed", spec.training().seed());
        o.addProperty("started", started);
        o.addProperty("seconds", Math.round(seconds * 10) / 10.0);
        JsonArray components = new JsonArray();
        encoders.forEach((m, name) -> {
            try (EncoderLease lease = registry.lease(name)) {
                if (lease != null) {
                    JsonObject c = registry.provenance(lease.encoder(), "encoder", name);
                    c.addProperty("modality", m);
                    components.add(c);
                }
            }
        });
        if (spec instanceof PipelineDefinition d) {
            d.adapters().forEach((m, a) -> {
                JsonObject c = registry.provenance(registry.adapter(a.adapter(), "adapters." + m), "adapter", a.adapter());
                c.addProperty("modality", m);
                components.add(c);
            });
        }
        components.add(registry.provenance(registry.loss(spec.loss(), "loss.name"), "loss", spec.loss()));
        components.add(registry.provenance(registry.fusion(spec.fusion(), "fusion"), "fusion", spec.fusion()));
        for (String c : classifiers) {
            components.add(registry.provenance(registry.classifier(c, "classifiers"), "classifier", c));
        }
        o.add("components", components);
        JsonObject runtime = new JsonObject();
        runtime.addProperty("java", System.getProperty("java.version"));
        runtime.addProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        o.add("runtime", runtime);
        return o;
    }

    /**
     * A data folder's fingerprint: SHA-256 over its top-level files' names and contents (files over 64 MiB by size
     * and time). Media files referenced from posts.jsonl are covered by the feature cache's per-file keys, not here.
     */
    public static String fingerprint(Path dir) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                d.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                long size = Files.size(f);
                if (size <= HASHED_BYTES) {
                    try (InputStream in = Files.newInputStream(f)) {
                        byte[] buf = new byte[1 << 16];
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            d.update(buf, 0, n);
                        }
                    }
                } else {
                    d.update((size + "/" + Files.getLastModifiedTime(f).toMillis()).getBytes(StandardCharsets.UTF_8));
                }
            }
            return "sha256:" + HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
