package org.nmodal.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encoder outputs on disk, keyed by post id, encoder name, encoder version and a hash of its configuration, so a
 * pipeline run never decodes the same media twice. Each (encoder, version, configuration) has one file, rewritten
 * whole into a temporary file and moved into place: a crash leaves the previous file, never half of one.
 */
public final class FeatureCache {
    private static final int MAGIC = 0x4e4d4643; // "NMFC"
    private final Path root;

    /** @param root the cache folder (created when first written) */
    public FeatureCache(Path root) {
        this.root = root;
    }

    /** The cache key of an encoder version and configuration. */
    public static String key(String version, String configuration) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((version + '\n' + configuration).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The cache entry of one post's input: its id and what the input is (a text's hash; a file's path, size and
     * time), so two data sets that reuse post ids, or a post whose file changed, never share a vector.
     */
    public static String entry(String postId, org.nmodal.api.data.ModalityInput input) {
        String what;
        if (input instanceof org.nmodal.api.data.TextInput t) {
            what = key(t.text(), "text");
        } else {
            Path file = input instanceof org.nmodal.api.data.ImageFile f ? f.path()
                    : input instanceof org.nmodal.api.data.VideoFile f ? f.path()
                    : input instanceof org.nmodal.api.data.AudioFile f ? f.path() : null;
            if (file == null) {
                what = key(input.describe(), input.getClass().getName());
            } else {
                String stamp;
                try {
                    stamp = Files.size(file) + "/" + Files.getLastModifiedTime(file).toMillis();
                } catch (IOException e) {
                    stamp = "unreadable";
                }
                what = key(file.toAbsolutePath().normalize().toString(), stamp);
            }
        }
        return postId + "#" + what;
    }

    /** Vectors cached for an encoder and key, by entry ({@link #entry}); empty if none (or if the file is unreadable). */
    public Map<String, float[]> load(String encoder, String key) {
        Path file = file(encoder, key);
        Map<String, float[]> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                return out;
            }
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String id = in.readUTF();
                float[] v = new float[in.readInt()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = in.readFloat();
                }
                out.put(id, v);
            }
            return out;
        } catch (EOFException e) {
            return new LinkedHashMap<>(); // a truncated file (should not happen thanks to the atomic move)
        } catch (IOException e) {
            return new LinkedHashMap<>();
        }
    }

    /** Writes the vectors of an encoder and key, replacing the previous file atomically. */
    public void store(String encoder, String key, Map<String, float[]> vectors) throws IOException {
        Path file = file(encoder, key);
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), key, ".part");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeInt(MAGIC);
                out.writeInt(vectors.size());
                for (Map.Entry<String, float[]> e : vectors.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeInt(e.getValue().length);
                    for (float f : e.getValue()) {
                        out.writeFloat(f);
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Path file(String encoder, String key) {
        return root.resolve(encoder.replaceAll("[^A-Za-z0-9._-]", "_")).resolve(key + ".bin");
    }
}
