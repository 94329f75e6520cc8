package org.nmodal.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nmodal.api.InvalidInputException;
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
 *
 * <p>A media path must name a regular file whose real path (symlinks followed) lies inside the real path of the
 * data folder (or of a root the caller adds, see {@link #post(JsonObject, Path, List, List)}). A path outside,
 * a symlink out and a missing file all give the same problem line, which quotes the path as the post wrote it
 * and names no server path, so a caller cannot probe which files exist.
 */
public final class PostsReader {
    /** Posts read, and one line per problem met. */
    public record Result(List<Post> posts, List<String> errors) {}

    private PostsReader() {}

    /** Reads {@code dir/posts.jsonl}; media files must lie inside {@code dir}. */
    public static Result read(Path dir) throws IOException {
        return read(dir, false);
    }

    /**
     * Reads {@code dir/posts.jsonl}.
     *
     * @param allowOutside true only for a pipeline that declares its media live outside the data folder: then
     *     any path a post names is read (absolute, {@code ../}, symlinks out), and a missing file's problem names
     *     the resolved path; false applies the data-folder rule of this class
     */
    public static Result read(Path dir, boolean allowOutside) throws IOException {
        Path file = dir.resolve("posts.jsonl");
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file (a post data set needs posts.jsonl)");
        }
        List<Post> posts = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        MediaRoots roots = allowOutside ? MediaRoots.ANYWHERE : MediaRoots.of(dir, List.of());
        int number = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file.getFileName() + ":" + number;
                try {
                    JsonElement json = JsonParser.parseString(line);
                    if (!json.isJsonObject()) {
                        throw new IllegalArgumentException("not a JSON object (the line holds "
                                + JsonFields.kind(json) + ")");
                    }
                    List<String> problems = new ArrayList<>();
                    Post post = parse(json.getAsJsonObject(), dir, roots, where, problems);
                    if (!seen.add(post.id())) {
                        errors.add(where + ": duplicate post id '" + oneLine(post.id()) + "', line skipped");
                        continue;
                    }
                    errors.addAll(problems);
                    posts.add(post);
                } catch (RuntimeException | StackOverflowError e) {
                    // whatever a line holds costs that line only: a parser's own words are cut to one short line
                    String why = e instanceof StackOverflowError ? "nested too deeply"
                            : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0];
                    errors.add(where + ": " + JsonFields.oneLine(why) + ", line skipped");
                }
            }
        }
        if (posts.isEmpty()) {
            throw new IOException(file + (number == 0 || errors.isEmpty() ? ": no posts (the file is empty)"
                    : ": no posts (no line is a post; " + errors.get(0) + ")"));
        }
        return new Result(posts, errors);
    }

    /**
     * Reads one post written as in posts.jsonl (a served model's request); media paths are resolved against
     * {@code dataDir} and must name files inside it. A problem with one input (a missing file, a path outside the
     * folder) is added to {@code problems} and the post goes on without it.
     *
     * @throws IllegalArgumentException when the object is not a post at all (no id)
     */
    public static Post post(JsonObject o, Path dataDir, List<String> problems) {
        return post(o, dataDir, List.of(), problems);
    }

    /**
     * Reads one post as {@link #post(JsonObject, Path, List)} does, also accepting media files inside
     * {@code extraRoots}: folders the caller owns and filled itself (the REST endpoint's folder of decoded
     * uploads, named in the post by absolute path). Each root is taken by its real path, like the data folder.
     *
     * @param extraRoots further folders media files may lie in; empty for none
     * @throws IllegalArgumentException when the object is not a post at all (no id)
     */
    public static Post post(JsonObject o, Path dataDir, List<Path> extraRoots, List<String> problems) {
        return parse(o, dataDir, MediaRoots.of(dataDir, extraRoots), "post", problems);
    }

    /** Longest post id: ids key the feature cache and appear in reports; no real id comes near it. */
    public static final int MAX_ID = 1000;
    private static final Set<String> MEDIA = Set.of("image", "video", "audio");

    private static Post parse(JsonObject o, Path dir, MediaRoots roots, String where, List<String> errors) {
        String id = id(o);
        Map<String, ModalityInput> inputs = new LinkedHashMap<>();
        String text = strictString(o, "text", "must be a string");
        if (text != null && !text.isBlank()) {
            inputs.put("text", new TextInput(text));
        }
        for (String m : List.of("image", "video", "audio")) {
            String rel = strictString(o, m, "must be a path (a string)");
            if (rel == null || rel.isBlank()) {
                continue;
            }
            Path p = roots.file(dir, rel);
            if (p == null) {
                errors.add("post " + oneLine(id) + ": " + m + roots.problem(dir, rel) + "; the post goes on without " + m);
                continue;
            }
            inputs.put(m, m.equals("image") ? new ImageFile(p) : m.equals("video") ? new VideoFile(p) : new AudioFile(p));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        JsonElement l = o.get("labels");
        if (l != null && !l.isJsonNull()) {
            if (!l.isJsonObject()) {
                throw bad("labels", "must be an object task -> label", l);
            }
            for (Map.Entry<String, JsonElement> e : l.getAsJsonObject().entrySet()) {
                JsonElement v = e.getValue();
                if (v.isJsonNull()) {
                    continue;
                }
                if (!v.isJsonPrimitive()) {
                    throw bad("labels." + e.getKey(), "must be a label (a string or a number)", v);
                }
                labels.put(e.getKey(), v.getAsString());
            }
        }
        String split = string(o, "split");
        return new Post(id, inputs, metadata(o, id, where, errors), labels, Split.parse(split));
    }

    /** The post's id: a non-blank string (or a number, written as in the file) of at most {@link #MAX_ID} characters. */
    private static String id(JsonObject o) {
        JsonElement e = o.get("id");
        if (e == null || e.isJsonNull()) {
            throw new InvalidInputException("no 'id'");
        }
        if (!e.isJsonPrimitive() || e.getAsJsonPrimitive().isBoolean()) {
            throw bad("id", "must be a string", e);
        }
        String id = e.getAsString();
        if (id.isBlank()) {
            throw new InvalidInputException("id: is empty");
        }
        if (id.length() > MAX_ID) {
            throw new InvalidInputException("id: " + id.length() + " characters, at most " + MAX_ID + " allowed ("
                    + JsonFields.kind(e) + ")");
        }
        return id;
    }

    private static InvalidInputException bad(String field, String what, JsonElement got) {
        return new InvalidInputException(oneLine(field) + ": " + what + ", got " + JsonFields.kind(got));
    }

    private static PostMetadata metadata(JsonObject o, String id, String where, List<String> errors) {
        JsonElement meta = o.get("meta");
        if (meta == null || meta.isJsonNull()) {
            return PostMetadata.EMPTY;
        }
        if (!meta.isJsonObject()) {
            throw bad("meta", "must be an object", meta);
        }
        JsonObject m = meta.getAsJsonObject();
        Instant time = null;
        String ts = string(m, "meta", "timestamp");
        if (ts != null) {
            try {
                time = Instant.parse(ts);
            } catch (DateTimeParseException e) {
                errors.add(where + ": post " + oneLine(id) + ": timestamp '" + oneLine(ts) + "' is not ISO-8601; ignored");
            }
        }
        Map<String, String> extra = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : m.entrySet()) {
            if (!Set.of("hashtags", "caption", "tags", "timestamp", "account").contains(e.getKey())
                    && e.getValue().isJsonPrimitive()) {
                extra.put(e.getKey(), e.getValue().getAsString());
            }
        }
        return new PostMetadata(strings(m, "hashtags"), string(m, "meta", "caption"), strings(m, "tags"), time,
                string(m, "meta", "account"), extra);
    }

    /** Control characters escaped, so that a problem stays one line whatever the post wrote. */
    private static String oneLine(String s) {
        return JsonFields.oneLine(s); // escaped and cut to 200 characters: a problem line stays short
    }


    /** Where media files may lie: real paths of folders, or anywhere. */
    private static final class MediaRoots {
        static final MediaRoots ANYWHERE = new MediaRoots(null);

        private final List<Path> realRoots;

        private MediaRoots(List<Path> realRoots) {
            this.realRoots = realRoots;
        }

        /** A root that does not exist holds no file, so it is left out rather than failing the post. */
        static MediaRoots of(Path dataDir, List<Path> extraRoots) {
            List<Path> real = new ArrayList<>();
            List<Path> all = new ArrayList<>();
            all.add(dataDir);
            all.addAll(extraRoots);
            for (Path r : all) {
                try {
                    real.add(r.toRealPath());
                } catch (IOException e) {
                    // no such folder: nothing can be inside it
                }
            }
            return new MediaRoots(real);
        }

        /** Why {@code rel} was refused, after the modality's name. */
        String problem(Path dir, String rel) {
            if (realRoots == null) {
                try {
                    return " file " + oneLine(dir.resolve(rel).normalize().toString()) + " not found";
                } catch (InvalidPathException e) {
                    // falls through to the quoted form
                }
            }
            return " '" + oneLine(rel) + "' is not a file inside the data folder";
        }

        /**
         * The file {@code rel} names, as {@code dir.resolve(rel).normalize()} (the path callers and cache keys
         * always saw), or null when it is not a regular file inside a root. The real path, not the lexical one,
         * decides, so {@code ../} and symlinks out are caught; missing and outside are deliberately one answer.
         */
        Path file(Path dir, String rel) {
            Path p;
            try {
                p = dir.resolve(rel).normalize();
            } catch (InvalidPathException e) {
                return null;
            }
            if (realRoots == null) {
                return Files.isRegularFile(p) ? p : null;
            }
            try {
                Path real = p.toRealPath();
                if (!Files.isRegularFile(real)) {
                    return null;
                }
                for (Path root : realRoots) {
                    if (real.startsWith(root)) {
                        return p;
                    }
                }
            } catch (IOException | SecurityException e) {
                // unreadable or missing: the same answer as outside
            }
            return null;
        }
    }

    /** A string field, or null when absent; a number or boolean is taken as its text, an object or list is an error. */
    private static String string(JsonObject o, String key) {
        return string(o, "", key);
    }

    private static String string(JsonObject o, String section, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive()) {
            throw bad(section.isEmpty() ? key : section + "." + key, MEDIA.contains(key) && section.isEmpty()
                    ? "must be a path (a string)" : "must be a string", e);
        }
        return e.getAsString();
    }

    /** A field that must be a JSON string when present (a number for a text or a path is a mistake, not a value). */
    private static String strictString(JsonObject o, String key, String what) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw bad(key, what, e);
        }
        return e.getAsString();
    }

    /** A list of strings ({@code meta.hashtags}, {@code meta.tags}), a leading '#' dropped; absent is empty. */
    private static List<String> strings(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return List.of();
        }
        if (!e.isJsonArray()) {
            throw bad("meta." + key, "must be a list of strings", e);
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (JsonElement x : (JsonArray) e) {
            if (!x.isJsonPrimitive()) {
                throw bad("meta." + key + "[" + i + "]", "must be a string", x);
            }
            String s = x.getAsString();
            out.add(s.startsWith("#") ? s.substring(1) : s);
            i++;
        }
        return out;
    }
}
