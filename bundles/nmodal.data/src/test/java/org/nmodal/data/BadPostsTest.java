package org.nmodal.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.data.Split;

/** A bad line of posts.jsonl costs that line only, and says which field is wrong. */
class BadPostsTest {
    @TempDir
    Path dir;

    private static final String GOOD = "{\"id\": \"g\", \"text\": \"fine\", \"labels\": {\"stance\": \"pro\"}}";

    private PostsReader.Result read(String... lines) throws IOException {
        Files.writeString(dir.resolve("posts.jsonl"), String.join("\n", lines) + "\n");
        return PostsReader.read(dir);
    }

    /** Reads the good line and one bad line; returns the bad line's one problem. */
    private String problem(String bad) throws IOException {
        PostsReader.Result r = read(GOOD, bad);
        assertEquals(List.of("g"), r.posts().stream().map(p -> p.id()).toList(), bad);
        assertEquals(1, r.errors().size(), r.errors().toString());
        String e = r.errors().get(0);
        assertTrue(e.startsWith("posts.jsonl:2: ") && e.endsWith(", line skipped") && !e.contains("\n"), e);
        return e.substring("posts.jsonl:2: ".length(), e.length() - ", line skipped".length());
    }

    @Test
    void aLabelOrHashtagThatIsAnObjectCostsItsLine() throws IOException {
        assertEquals("labels.stance: must be a label (a string or a number), got {\"x\":1}",
                problem("{\"id\": \"b\", \"labels\": {\"stance\": {\"x\": 1}}}"));
        assertEquals("meta.hashtags[0]: must be a string, got {\"x\":1}",
                problem("{\"id\": \"b\", \"meta\": {\"hashtags\": [{\"x\": 1}]}}"));
        assertEquals("meta.hashtags: must be a list of strings, got \"tech\"",
                problem("{\"id\": \"b\", \"meta\": {\"hashtags\": \"tech\"}}"));
        assertEquals("labels: must be an object task -> label, got [\"pro\"]",
                problem("{\"id\": \"b\", \"labels\": [\"pro\"]}"));
        assertEquals("meta: must be an object, got 3", problem("{\"id\": \"b\", \"meta\": 3}"));
        assertEquals("meta.caption: must be a string, got [1]", problem("{\"id\": \"b\", \"meta\": {\"caption\": [1]}}"));
    }

    @Test
    void typeConfusedInputsCostTheirLine() throws IOException {
        assertEquals("text: must be a string, got [\"a\",\"b\"]", problem("{\"id\": \"b\", \"text\": [\"a\", \"b\"]}"));
        assertEquals("image: must be a path (a string), got {}", problem("{\"id\": \"b\", \"image\": {}}"));
        assertEquals("id: must be a string, got {}", problem("{\"id\": {}}"));
        assertEquals("not a JSON object (the line holds [1,2])", problem("[1,2]"));
        assertEquals("no 'id'", problem("{\"text\": \"x\"}"));
        assertEquals("unknown split 'later' (expected train, dev, test or unlabelled)",
                problem("{\"id\": \"b\", \"split\": \"later\"}"));
    }

    @Test
    void aHugeIdCostsItsLineNotTheDataSet() throws IOException {
        String e = problem("{\"id\": \"" + "x".repeat(70_000) + "\"}");
        assertTrue(e.startsWith("id: 70000 characters, at most 1000 allowed"), e);
        assertTrue(e.length() < 200, e);
    }

    @Test
    void oneGoodLineAmongGarbageIsKept() throws IOException {
        PostsReader.Result r = read("garbage", "{", GOOD, "\"x\"", "{\"id\": 5, \"labels\": []}", "\u0000\u0001");
        assertEquals(List.of("g"), r.posts().stream().map(p -> p.id()).toList());
        assertEquals(5, r.errors().size(), r.errors().toString());
        r.errors().forEach(e -> assertTrue(e.endsWith("line skipped") && !e.contains("\n"), e));
    }

    @Test
    void numbersAsIdsAndLabelsAreTheirText() throws IOException {
        PostsReader.Result r = read("{\"id\": 17, \"text\": \"x\", \"labels\": {\"sentiment\": -1}, \"split\": \"test\"}");
        assertEquals("17", r.posts().get(0).id());
        assertEquals("-1", r.posts().get(0).labels().get("sentiment"));
        assertEquals(Split.TEST, r.posts().get(0).split());
    }

    @Test
    void anEmptyFileIsNamedNotItsEncoder() throws IOException {
        Files.writeString(dir.resolve("posts.jsonl"), "");
        IOException e = assertThrows(IOException.class, () -> PostsReader.read(dir));
        assertTrue(e.getMessage().endsWith("posts.jsonl: no posts (the file is empty)"), e.getMessage());
        Files.writeString(dir.resolve("posts.jsonl"), "nonsense\n[]\n");
        e = assertThrows(IOException.class, () -> PostsReader.read(dir));
        assertTrue(e.getMessage().contains("posts.jsonl: no posts (no line is a post; posts.jsonl:1: "), e.getMessage());
    }

    @Test
    void nanFeaturesCountAsMissingWithAWarning() {
        FeatureSet set = new FeatureSet(List.of("a", "b", "c"), new Split[] {Split.TRAIN, Split.TRAIN, Split.TEST},
                Map.of());
        set.put("audio", 2, new float[][] {{1, 2}, {Float.NaN, 0}, {0, Float.POSITIVE_INFINITY}});
        assertNull(set.features("audio")[1]);
        assertNull(set.features("audio")[2]);
        assertEquals(1f, set.features("audio")[0][0]);
        assertEquals(List.of("audio: 2 of 3 post(s) have NaN or infinite values (e.g. b, c); their audio is treated "
                + "as missing"), set.warnings());
    }
}
