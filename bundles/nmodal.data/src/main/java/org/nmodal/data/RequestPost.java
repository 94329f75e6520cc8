package org.nmodal.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.data.Post;

/**
 * A post sent as JSON (REST, the console): fields as in posts.jsonl; media as paths inside the pipeline's data folder
 * or uploaded inline as {@code {"base64": "...", "name": "clip.mp4"}}, written to a temporary folder that closing the
 * result deletes. Problems are {@link InvalidInputException}s whose text names no server path. Shared by serving and
 * recommendation, so both refuse a bad request body with the same line.
 */
public final class RequestPost {
    private static final List<String> MEDIA = List.of("image", "video", "audio");

    /** The post, the per-input problems found reading it, and the uploads folder (deleted on close). */
    public record Read(Post post, List<String> problems, Path uploads) implements AutoCloseable {
        @Override
        public void close() {
            if (uploads == null) {
                return;
            }
            try (Stream<Path> s = Files.walk(uploads)) {
                for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private RequestPost() {}

    /** The request body as one JSON object; anything else is one line ({@link InvalidInputException}). */
    public static JsonObject object(String json) {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(json);
        } catch (JsonParseException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new InvalidInputException("the body is not JSON (" + c.getMessage() + ")");
        }
        if (parsed == null || !parsed.isJsonObject()) {
            throw new InvalidInputException("the body must be one JSON object (a post)");
        }
        return parsed.getAsJsonObject();
    }

    /** The post of a request body, media named relative to {@code dataPath} or uploaded inline. */
    public static Read read(String json, Path dataPath) throws IOException {
        JsonObject o = object(json);
        if (!o.has("id")) {
            o.addProperty("id", "request");
        }
        Path uploads = null;
        try {
            for (String m : MEDIA) {
                JsonElement v = o.get(m);
                if (v == null || !v.isJsonObject()) {
                    continue;
                }
                JsonObject u = v.getAsJsonObject();
                if (!u.has("base64") || !u.get("base64").isJsonPrimitive()) {
                    throw new InvalidInputException(m + ": an upload needs 'base64' (and a 'name' with the file's "
                            + "extension)");
                }
                if (uploads == null) {
                    uploads = Files.createTempDirectory("nmodal-upload");
                }
                Path file = uploads.resolve(m + "-" + uploadName(u, m));
                try {
                    Files.write(file, Base64.getDecoder().decode(u.get("base64").getAsString()));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException(m + ": 'base64' is not base64 (" + e.getMessage() + ")");
                }
                o.addProperty(m, file.toString());
            }
            List<String> problems = new ArrayList<>();
            // the uploads named by absolute path above are the only files outside the data folder a request reaches
            Post post = PostsReader.post(o, dataPath, uploads == null ? List.of() : List.of(uploads), problems);
            for (String m : MEDIA) {
                if (o.has(m) && post.input(m).isEmpty() && o.get(m).isJsonPrimitive()
                        && !o.get(m).getAsString().isBlank()) {
                    // one answer for missing, outside, through a symlink out or unreadable: nothing to learn from it
                    throw new InvalidInputException(m + ": not a file inside the pipeline's data folder (name it "
                            + "relative to that folder, or upload it inline as {\"base64\": ..., \"name\": ...})");
                }
            }
            return new Read(post, problems, uploads);
        } catch (RuntimeException | IOException e) {
            new Read(null, List.of(), uploads).close();
            throw e;
        }
    }

    /** The upload's file name without any folder, kept to letters, digits, '.', '_' and '-' (its extension counts). */
    private static String uploadName(JsonObject u, String modality) {
        JsonElement n = u.get("name");
        if (n == null || n.isJsonNull()) {
            return modality;
        }
        if (!n.isJsonPrimitive() || !n.getAsJsonPrimitive().isString()) {
            throw new InvalidInputException(modality + ".name: must be a file name (a string), got "
                    + JsonFields.kind(n));
        }
        String given = n.getAsString();
        String name = given.substring(given.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        if (name.isEmpty() || name.chars().allMatch(c -> c == '.')) {
            throw new InvalidInputException(modality + ".name: " + JsonFields.kind(n) + " is not a "
                    + "file name (give the file's own name with its extension, e.g. clip.mp4)");
        }
        return name.startsWith(".") ? modality + name : name;
    }
}
