package org.nmodal.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nmodal.api.data.AudioFile;
import org.nmodal.api.data.ImageFile;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.data.PostMetadata;
import org.nmodal.api.data.Split;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.data.VideoFile;

/**
 * Reads a post data set: a folder with {@code posts.jsonl}, one JSON object per line —
 * {@code id}, {@code text}, {@code image}, {@code video}, {@code audio} (paths relative to the folder, each
 * optional), {@code meta} ({@code hashtags}, {@code caption}, {@code tags}, {@code timestamp}, {@code account}, any
 * other string fields), {@code labels} (task to value) and {@code split} — plus the media files. A bad line or a
 * missing media file becomes one error line; everything else is read.
 */
public final class PostsReader {
    /** Posts read, and one line per problem met. */
    public record Result(List<Post> posts, List<String> errors) {}

    private PostsReader() {}

    /** Reads {@code dir/posts.jsonl}. */
    public static Result read(Path dir) throws IOException {
        Path file = dir.resolve("posts.jsonl");
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file (a post data set needs posts.jsonl)");
        }
        List<Post> posts = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file.getFileName() + ":" + number;
                try {
                    Post post = parse(JsonParser.parseString(line).getAsJsonObject(), dir, where, errors);
                    if (!seen.add(post.id())) {
                        errors.add(where + ": duplicate post id '" + post.id() + "', line skipped");
                        continue;
                    }
                    posts.add(post);
                } catch (JsonParseException | IllegalStateException | IllegalArgumentException e) {
                    errors.add(where + ": " + e.getMessage() + ", line skipped");
                }
            }
        }
        return new Result(posts, errors);
    }

    /**
     * Reads one post written as in posts.jsonl (a served model's request); media paths are resolved against
     * {@code dir}. A problem with one input (a missing file) is added to {@code problems} and the post goes on
     * without it.
     *
     * @throws IllegalArgumentException when the object is not a post at all (no id)
     */
    public static Post post(JsonObject o, Path dir, List<String> problems) {
        return parse(o, dir, "post", problems);
    }

    private static Post parse(JsonObject o, Path dir, String where, List<String> errors) {
        String id = string(o, "id");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("no 'id'");
        }
        Map<String, ModalityInput> inputs = new LinkedHashMap<>();
        String text = string(o, "text");
        if (text != null && !text.isBlank()) {
            inputs.put("text", new TextInput(text));
        }
        for (String m : List.of("image", "video", "audio")) {
            String rel = string(o, m);
            if (rel == null || rel.isBlank()) {
                continue;
            }
            Path p = dir.resolve(rel).normalize();
            if (!Files.isRegularFile(p)) {
                errors.add("post " + id + ": " + m + " file " + p + " not found; the post goes on without " + m);
                continue;
            }
            inputs.put(m, m.equals("image") ? new ImageFile(p) : m.equals("video") ? new VideoFile(p) : new AudioFile(p));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (o.has("labels") && o.get("labels").isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("labels").entrySet()) {
                if (!e.getValue().isJsonNull()) {
                    labels.put(e.getKey(), e.getValue().getAsString());
                }
            }
        }
        return new Post(id, inputs, metadata(o, id, where, errors), labels, Split.parse(string(o, "split")));
    }

    private static PostMetadata metadata(JsonObject o, String id, String where, List<String> errors) {
        if (!o.has("meta") || !o.get("meta").isJsonObject()) {
            return PostMetadata.EMPTY;
        }
        JsonObject m = o.getAsJsonObject("meta");
        Instant time = null;
        String ts = string(m, "timestamp");
        if (ts != null) {
            try {
                time = Instant.parse(ts);
            } catch (DateTimeParseException e) {
                errors.add(where + ": post " + id + ": timestamp '" + ts + "' is not ISO-8601; ignored");
            }
        }
        Map<String, String> extra = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : m.entrySet()) {
            if (!Set.of("hashtags", "caption", "tags", "timestamp", "account").contains(e.getKey())
                    && e.getValue().isJsonPrimitive()) {
                extra.put(e.getKey(), e.getValue().getAsString());
            }
        }
        return new PostMetadata(strings(m, "hashtags"), string(m, "caption"), strings(m, "tags"), time,
                string(m, "account"), extra);
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static List<String> strings(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonArray()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonElement x : (JsonArray) e) {
            String s = x.getAsString();
            out.add(s.startsWith("#") ? s.substring(1) : s);
        }
        return out;
    }
}
