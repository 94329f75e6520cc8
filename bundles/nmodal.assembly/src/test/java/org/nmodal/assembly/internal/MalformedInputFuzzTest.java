package org.nmodal.assembly.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.assembly.PipelineDefinition;
import org.nmodal.data.FeatureCache;
import org.nmodal.data.PostsReader;

/**
 * Seeded fuzzing of the two files a user hands nmodal: pipeline files and posts.jsonl lines. Each malformed pipeline
 * goes through what {@code runtime/nmodal run} does before any work starts (the file read, then every name checked
 * against the running parts); the launcher turns an {@link InvalidInputException} into exit 2 and anything else into
 * exit 1, so only that exception, with a one-line message naming the file, may come out. Each malformed post line
 * must cost that line only: one error line naming it, the other lines read, and every post id fit for the feature
 * cache. Nothing may be written outside the work folder. {@code launcher-test.sh} runs a few of the same cases through
 * the real launcher.
 */
class MalformedInputFuzzTest {
    private static final long SEED = 20261130L;
    private static final int PIPELINES = 1_200;
    private static final int LINES = 1_200;

    @TempDir
    Path dir;

    private static final String GOOD_PIPELINE = """
            {"id": "fuzz", "description": "d",
             "data": {"format": "posts", "path": "data", "splitColumn": "split", "folds": "meta.fold"},
             "encoders": {"text": "minilm", "image": "image-classic"},
             "optionalModalities": ["audio"],
             "projection": {"dim": 16, "dropout": 0.1},
             "loss": {"name": "nmodal-infonce", "temperature": 0.07},
             "fusion": {"name": "gated"},
             "classifiers": ["logistic", "random-forest"],
             "tasks": ["stance"],
             "serve": {"classifier": "logistic"},
             "evaluate": {"subsets": ["singles", ["text", "image"]]},
             "train": {"epochs": 2, "batch": 16, "lr": 0.001, "weightDecay": 0.001, "patience": 2, "seed": 7},
             "encodeTimeoutMs": 1000}
            """;

    private static ModalityEncoder encoder(String name, String modality) {
        return new ModalityEncoder() {
            @Override public String name() { return name; }
            @Override public String modality() { return modality; }
            @Override public int dimension() { return 2; }
            @Override public String device() { return "cpu"; }
            @Override public String version() { return "1"; }
            @Override public List<Encoding> encode(List<? extends ModalityInput> inputs) { return List.of(); }
        };
    }

    /** A random JSON value, of any kind, sometimes nested, sometimes hostile. */
    private static JsonElement value(Random r, int depth) {
        switch (r.nextInt(depth > 3 ? 9 : 12)) {
            case 0: return JsonNull.INSTANCE;
            case 1: return new JsonPrimitive(r.nextBoolean());
            case 2: return new JsonPrimitive(r.nextInt(2001) - 1000);
            case 3: return new JsonPrimitive(new BigDecimal(List.of("1e12", "1e9", "-1", "0", "0.5", "1e400", "-1e-400",
                    "9223372036854775808", "3.0", "2147483648").get(r.nextInt(10))));
            case 4: return new JsonPrimitive(List.of("", " ", "3", "../../escaped", "/etc/passwd", "a\nb", "\u0000",
                    "é☃", "x".repeat(70_000), "*", "meta.", "NaN").get(r.nextInt(12)));
            case 5: return new JsonPrimitive(randomText(r, 1 + r.nextInt(20)));
            case 6: return new JsonObject();
            case 7: return new JsonArray();
            case 8: return new JsonPrimitive(r.nextGaussian() * 1e6);
            case 9: {
                JsonArray a = new JsonArray();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(value(r, depth + 1));
                }
                return a;
            }
            default: {
                JsonObject o = new JsonObject();
                for (int i = r.nextInt(4); i > 0; i--) {
                    o.add(randomText(r, 1 + r.nextInt(6)), value(r, depth + 1));
                }
                return o;
            }
        }
    }

    private static String randomText(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10);
            b.append(k < 7 ? (char) ('a' + r.nextInt(26)) : k == 7 ? (char) r.nextInt(0x20) : k == 8 ? '/' : '.');
        }
        return b.toString();
    }

    /** Every object in the tree, with the keys it has, for picking a place to mutate. */
    private static void objects(JsonElement e, List<JsonObject> out) {
        if (e.isJsonObject()) {
            out.add(e.getAsJsonObject());
            e.getAsJsonObject().entrySet().forEach(x -> objects(x.getValue(), out));
        } else if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> objects(x, out));
        }
    }

    /** The good pipeline with one to three mutations, sometimes of its text rather than its tree. */
    private static String malformedPipeline(Random r) {
        JsonObject root = JsonParser.parseString(GOOD_PIPELINE).getAsJsonObject();
        for (int m = 1 + r.nextInt(3); m > 0; m--) {
            List<JsonObject> objs = new ArrayList<>();
            objects(root, objs);
            JsonObject o = objs.get(r.nextInt(objs.size()));
            List<String> keys = new ArrayList<>(o.keySet());
            int kind = r.nextInt(keys.isEmpty() ? 1 : 4);
            if (kind == 0) {
                o.add(r.nextBoolean() ? randomText(r, 5) : "train", value(r, 0));
            } else if (kind == 1) {
                o.remove(keys.get(r.nextInt(keys.size())));
            } else {
                o.add(keys.get(r.nextInt(keys.size())), value(r, 0));
            }
        }
        String text = root.toString();
        switch (r.nextInt(8)) {
            case 0: return text.substring(0, r.nextInt(text.length()));
            case 1: { // a repeated key
                int at = text.indexOf('{') + 1;
                return text.substring(0, at) + "\"id\": \"dup\", " + text.substring(at);
            }
            case 2: { // a byte of garbage somewhere
                int at = r.nextInt(text.length());
                return text.substring(0, at) + (char) r.nextInt(0x80) + text.substring(at);
            }
            case 3: return "[" + text + "]";
            case 4: return "{".repeat(200 + r.nextInt(5000));
            default: return text;
        }
    }

    @Test
    void malformedPipelineFilesAreOneLineAndExit2Never1() throws IOException {
        Registry parts = new Registry();
        parts.addEncoder(encoder("minilm", "text"), Map.of("service.ranking", 0, "service.id", 1L));
        parts.addEncoder(encoder("image-classic", "image"), Map.of("service.ranking", 0, "service.id", 2L));
        Path work = Files.createDirectories(dir.resolve("work"));
        Set<Path> before = listing(dir);
        Random r = new Random(SEED);
        int refused = 0;
        Map<String, Integer> fields = new HashMap<>();
        for (int i = 0; i < PIPELINES; i++) {
            String text = malformedPipeline(r);
            Path file = work.resolve("p" + i + ".json");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            try {
                PipelineDefinition spec = PipelineDefinition.read(file, null);
                parts.validate(spec);
                PipelineRunner.validateTextColumns(spec, parts);
                assertTrue(spec.id().matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}"), spec.id());
                assertTrue(spec.projectionDim() >= 2 && spec.projectionDim() <= PipelineDefinition.MAX_DIM);
                assertTrue(spec.training().epochs() >= 1 && spec.training().batch() >= 2);
            } catch (InvalidInputException e) {
                refused++;
                String msg = e.getMessage();
                assertFalse(msg.contains("\n") || msg.contains("\r"), "one line: " + msg);
                assertTrue(msg.startsWith("p" + i + ".json") || msg.startsWith(file.toString()), msg);
                assertTrue(msg.length() < 1_000, "a short line: " + msg.length() + " characters");
                fields.merge(msg.replaceFirst("^[^:]*: ", "").split("[ :']")[0], 1, Integer::sum);
            } catch (RuntimeException | StackOverflowError e) {
                fail("exit 1 for file " + i + " (" + text.substring(0, Math.min(200, text.length())) + "): " + e, e);
            }
        }
        // nearly every mutation breaks the file; the few that do not are valid pipelines
        assertTrue(refused > PIPELINES * 0.8, refused + " of " + PIPELINES + " refused");
        assertTrue(fields.size() > 10, "the refusals name many different fields: " + fields);
        assertEquals(before, listing(dir), "nothing written outside the work folder");
    }

    /** A post line, good or broken in one of many ways. */
    private static String postLine(Random r, int i, boolean good) {
        JsonObject o = JsonParser.parseString("{\"text\": \"a post\", \"image\": \"img/a.png\", \"meta\": {\"hashtags\": "
                + "[\"x\"], \"caption\": \"c\", \"timestamp\": \"2024-05-01T10:00:00Z\", \"fold\": \"1\"}, \"labels\": "
                + "{\"stance\": \"pro\"}, \"split\": \"train\"}").getAsJsonObject();
        o.addProperty("id", "p" + i);
        if (good) {
            return o.toString();
        }
        switch (r.nextInt(10)) {
            case 0: return randomText(r, r.nextInt(40));
            case 1: return o.toString().substring(0, 1 + r.nextInt(o.toString().length() - 2));
            case 2: return value(r, 0).toString().replace("\n", " ");
            case 3: o.add("id", new JsonPrimitive("y".repeat(1_001 + r.nextInt(80_000)))); break;
            case 4: o.getAsJsonObject("labels").add("stance", r.nextBoolean() ? new JsonObject() : new JsonArray()); break;
            case 5: o.getAsJsonObject("meta").add("hashtags", r.nextBoolean() ? value(r, 2) : new JsonPrimitive(1)); break;
            case 6: return "[".repeat(100 + r.nextInt(3000));
            default: {
                List<String> keys = List.of("id", "text", "image", "video", "audio", "meta", "labels", "split");
                String k = keys.get(r.nextInt(keys.size()));
                JsonElement v = value(r, 0);
                o.add(k, v);
            }
        }
        return o.toString();
    }

    @Test
    void eachMalformedPostLineCostsThatLineOnly() throws IOException {
        Path data = Files.createDirectories(dir.resolve("work/data"));
        Set<Path> before = listing(dir);
        Random r = new Random(SEED + 1);
        List<String> lines = new ArrayList<>();
        TreeSet<Integer> good = new TreeSet<>();
        for (int i = 0; i < LINES + LINES / 3; i++) {
            boolean ok = i % 11 == 0;
            String line = postLine(r, i, ok);
            if (line.isBlank() || line.contains("\n") || line.contains("\r")) {
                line = "x" + line.replace('\n', ' ').replace('\r', ' ');
            }
            lines.add(line);
            if (ok) {
                good.add(i + 1);
            }
        }
                Files.writeString(data.resolve("posts.jsonl"), String.join("\n", lines) + "\n");
        PostsReader.Result read = PostsReader.read(data);
        Set<String> ids = new java.util.HashSet<>();
        read.posts().forEach(p -> ids.add(p.id()));
        good.forEach(n -> assertTrue(ids.contains("p" + (n - 1)), "good line " + n + " was read"));
        TreeSet<Integer> skipped = new TreeSet<>();
        for (String e : read.errors()) {
            assertFalse(e.contains("\n") || e.contains("\r"), "one line: " + e);
            assertTrue(e.length() < 1_000, "short: " + e.length());
            if (e.endsWith(", line skipped")) {
                assertTrue(e.startsWith("posts.jsonl:"), e);
                assertTrue(skipped.add(Integer.parseInt(e.substring("posts.jsonl:".length()).split(":")[0])), e);
            }
        }
        assertEquals(lines.size(), read.posts().size() + skipped.size(), "each line is a post or one error line");
        assertTrue(java.util.Collections.disjoint(skipped, good), "no good line was skipped");
        // a mutation may happen to be a valid post (a meta object of other fields): most are not
        assertTrue(skipped.size() >= LINES, skipped.size() + " malformed lines skipped");
        // the feature cache takes every id that was read
        Map<String, float[]> vectors = new HashMap<>();
        for (Post p : read.posts()) {
            vectors.put(FeatureCache.entry(p.id(), new org.nmodal.api.data.TextInput("t")), new float[] {1});
        }
        new FeatureCache(dir.resolve("work/cache")).store("text", "k", vectors);
        assertEquals(before.size(), listing(dir).stream().filter(p -> !p.startsWith(dir.resolve("work"))).count()
                + before.stream().filter(p -> p.startsWith(dir.resolve("work"))).count());
    }

    private static Set<Path> listing(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return new TreeSet<>(s.filter(p -> !p.startsWith(root.resolve("work")) || p.equals(root.resolve("work")))
                    .toList());
        }
    }
}
