package org.nmodal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.data.AudioFile;
import org.nmodal.api.data.ImageFile;
import org.nmodal.api.data.Post;
import org.nmodal.api.data.Split;
import org.nmodal.api.data.VideoFile;

class DataTest {
    @TempDir
    Path dir;

    @Test
    void csvHandlesQuotesCommasAndLineBreaks() throws IOException {
        List<List<String>> rows = Csv.read(new BufferedReader(new StringReader(
                "a,b,c\r\n1,\"x, \"\"y\"\"\",\"two\nlines\"\n2,,last")));
        assertEquals(List.of("a", "b", "c"), rows.get(0));
        assertEquals(List.of("1", "x, \"y\"", "two\nlines"), rows.get(1));
        assertEquals(List.of("2", "", "last"), rows.get(2));
    }

    @Test
    void featureTableReadsRowsInMetaOrder() throws IOException {
        Files.writeString(dir.resolve("meta.csv"),
                "row,utterance_id,split,split_with_dev,label,text\n0,u0,train,dev,1,\"hi, there\"\n1,u1,test,test,0,bye\n");
        writeFloats(dir.resolve("text.f32le.bin"), 1, 2, 3, 4, 5, 6);
        writeFloats(dir.resolve("audio.f32le.bin"), 7, 8);
        FeatureSet set = FeatureTable.read(dir, List.of(), "split_with_dev", List.of("label"));
        assertEquals(List.of("audio", "text"), set.modalities());
        assertEquals(3, set.dimension("text"));
        assertArrayEquals(new float[] {4, 5, 6}, set.features("text")[1]);
        assertEquals(Split.DEV, set.split(0));
        assertEquals("1", set.labels("label")[0]);
        assertEquals(List.of("u0", "u1"), set.ids());
    }

    @Test
    void featureTableColumnGivesOneValuePerRowAndNamesAMissingColumn() throws IOException {
        Files.writeString(dir.resolve("meta.csv"), "id,split,fold,label\na,train,2,1\nb,test,,0\nc,train,0,1\n");
        assertArrayEquals(new String[] {"2", null, "0"}, FeatureTable.column(dir, "fold"));
        IOException e = assertThrows(IOException.class, () -> FeatureTable.column(dir, "folds"));
        assertTrue(e.getMessage().contains("no column folds"), e.getMessage());
    }

    @Test
    void featureTableErrorsNameTheFile() throws IOException {
        Files.writeString(dir.resolve("meta.csv"), "id,split,label\na,train,1\nb,test,0\n");
        writeFloats(dir.resolve("video.f32le.bin"), 1, 2, 3);
        IOException e = assertThrows(IOException.class,
                () -> FeatureTable.read(dir, List.of("video"), "split", List.of("label")));
        assertTrue(e.getMessage().contains("video.f32le.bin: 12 bytes is not 2 rows of float32"), e.getMessage());
        e = assertThrows(IOException.class, () -> FeatureTable.read(dir, List.of("smell"), "split", List.of("label")));
        assertTrue(e.getMessage().contains("smell.f32le.bin: no such file (modalities here: [video])"), e.getMessage());
        e = assertThrows(IOException.class, () -> FeatureTable.read(dir, List.of(), "split", List.of("stance")));
        assertTrue(e.getMessage().contains("no column stance"), e.getMessage());
    }

    @Test
    void postsReaderKeepsGoodPostsAndNamesEveryProblem() throws IOException {
        Files.write(dir.resolve("cat.png"), new byte[] {1});
        Files.writeString(dir.resolve("posts.jsonl"), String.join("\n",
                "{\"id\":\"p1\",\"text\":\"hello\",\"image\":\"cat.png\",\"video\":\"gone.mp4\","
                        + "\"meta\":{\"hashtags\":[\"#a\",\"b\"],\"account\":\"acme\",\"timestamp\":\"2024-05-01T10:00:00Z\","
                        + "\"lang\":\"en\"},\"labels\":{\"stance\":\"pro\"},\"split\":\"train\"}",
                "not json",
                "{\"text\":\"no id\"}",
                "",
                "{\"id\":\"p1\",\"text\":\"again\"}",
                "{\"id\":\"p2\",\"split\":\"test\"}"));
        PostsReader.Result r = PostsReader.read(dir);
        assertEquals(List.of("p1", "p2"), r.posts().stream().map(Post::id).toList());
        Post p1 = r.posts().get(0);
        assertEquals(new ImageFile(dir.resolve("cat.png")), p1.inputs().get("image"));
        assertNull(p1.inputs().get("video"));
        assertEquals(List.of("a", "b"), p1.metadata().hashtags());
        assertEquals(Map.of("lang", "en"), p1.metadata().extra());
        assertEquals("pro", p1.labels().get("stance"));
        assertEquals(4, r.errors().size(), r.errors().toString());
        assertEquals("post p1: video 'gone.mp4' is not a file inside the data folder; the post goes on without video",
                r.errors().get(0));
        assertTrue(r.errors().get(1).startsWith("posts.jsonl:2: "), r.errors().get(1));
        assertTrue(r.errors().get(2).contains("no 'id'"), r.errors().get(2));
        assertTrue(r.errors().get(3).contains("duplicate post id 'p1'"), r.errors().get(3));
    }

    @Test
    void mediaPathsOutsideTheDataFolderAreRefusedLikeMissingFiles() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(data.resolve("sub"));
        Files.write(data.resolve("sub/cat.png"), new byte[] {1});
        Path secret = Files.write(dir.resolve("secret.png"), new byte[] {2});
        Files.createSymbolicLink(data.resolve("out.png"), secret);
        Files.createSymbolicLink(data.resolve("up"), dir);
        Files.createSymbolicLink(data.resolve("in.png"), data.resolve("sub/cat.png"));
        List<String> refused = List.of(secret.toString(), "../secret.png", "sub/../../secret.png", "out.png",
                "up/secret.png", "up/data/../secret.png", "nope.png", "../nope.png", "/etc/shadow",
                "x/../../etc/passwd", "sub", "bad\u0000name", "two\nlines");
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < refused.size(); i++) {
            JsonObject o = new JsonObject();
            o.addProperty("id", "r" + i);
            o.addProperty("image", refused.get(i));
            jsonl.append(o).append('\n');
        }
        jsonl.append("{\"id\":\"ok1\",\"image\":\"sub/cat.png\",\"video\":\"./sub/../sub/cat.png\",\"audio\":\"in.png\"}\n");
        Files.writeString(data.resolve("posts.jsonl"), jsonl);

        PostsReader.Result r = PostsReader.read(data);
        assertEquals(refused.size(), r.errors().size(), r.errors().toString());
        for (int i = 0; i < refused.size(); i++) {
            String quoted = refused.get(i).replace("\u0000", "\\u0000").replace("\n", "\\u000a");
            assertEquals("post r" + i + ": image '" + quoted + "' is not a file inside the data folder; the post goes on"
                    + " without image", r.errors().get(i));
            assertNull(r.posts().get(i).inputs().get("image"));
        }
        Post ok = r.posts().get(refused.size());
        assertEquals(new ImageFile(data.resolve("sub/cat.png")), ok.inputs().get("image"));
        assertEquals(new VideoFile(data.resolve("sub/cat.png")), ok.inputs().get("video"));
        assertEquals(new AudioFile(data.resolve("in.png")), ok.inputs().get("audio"), "a symlink kept inside is fine");

        // the pipeline's explicit opt-out reads anything, as before
        PostsReader.Result loose = PostsReader.read(data, true);
        assertEquals(new ImageFile(secret), loose.posts().get(0).inputs().get("image"));
        assertEquals(new ImageFile(data.resolve("out.png")), loose.posts().get(3).inputs().get("image"));

        // a data folder reached through a symlink still holds its own files
        Path alias = Files.createSymbolicLink(dir.resolve("alias"), data);
        assertEquals(new ImageFile(alias.resolve("sub/cat.png")),
                PostsReader.read(alias).posts().get(refused.size()).inputs().get("image"));
    }

    @Test
    void servedPostsReachOnlyTheDataFolderAndTheCallersUploads() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path uploads = Files.createDirectories(dir.resolve("uploads"));
        Path upload = Files.write(uploads.resolve("image-a.png"), new byte[] {1});
        JsonObject shadow = JsonParser.parseString("{\"id\":\"t\",\"text\":\"x\",\"image\":\"/etc/shadow\"}")
                .getAsJsonObject();
        List<String> problems = new ArrayList<>();
        Post p = PostsReader.post(shadow, data, problems);
        assertEquals(List.of("text"), List.copyOf(p.inputs().keySet()));
        assertEquals(List.of("post t: image '/etc/shadow' is not a file inside the data folder; the post goes on "
                + "without image"), problems);

        JsonObject up = new JsonObject();
        up.addProperty("id", "u");
        up.addProperty("image", upload.toString());
        problems.clear();
        assertNull(PostsReader.post(up, data, problems).inputs().get("image"), "uploads are not allowed by default");
        assertEquals(1, problems.size());
        problems.clear();
        assertEquals(new ImageFile(upload), PostsReader.post(up, data, List.of(uploads), problems).inputs().get("image"));
        assertEquals(List.of(), problems);
    }

    @Test
    void cacheRoundTripsAndReplacesAtomically() throws IOException {
        FeatureCache cache = new FeatureCache(dir.resolve("cache"));
        String key = FeatureCache.key("v1", "{dim=2}");
        assertTrue(cache.load("minilm", key).isEmpty());
        cache.store("minilm", key, Map.of("p1", new float[] {1, 2}));
        cache.store("minilm", key, Map.of("p1", new float[] {1, 2}, "p2", new float[] {3, 4}));
        Map<String, float[]> back = cache.load("minilm", key);
        assertArrayEquals(new float[] {3, 4}, back.get("p2"));
        assertEquals(2, back.size());
        assertTrue(!key.equals(FeatureCache.key("v2", "{dim=2}")), "the version must change the key");
        try (var files = Files.list(dir.resolve("cache/minilm"))) {
            assertEquals(1, files.count(), "no temporary file may be left behind");
        }
    }

    @Test
    void cacheEntriesTellPostsOfOtherDataSetsApart() throws IOException {
        Path a = dir.resolve("a/img.png");
        Path b = dir.resolve("b/img.png");
        Files.createDirectories(a.getParent());
        Files.createDirectories(b.getParent());
        Files.write(a, new byte[] {1, 2, 3});
        Files.write(b, new byte[] {1, 2, 3, 4});
        String ea = FeatureCache.entry("p1", new org.nmodal.api.data.ImageFile(a));
        assertEquals(ea, FeatureCache.entry("p1", new org.nmodal.api.data.ImageFile(a)), "same post, same file");
        assertTrue(!ea.equals(FeatureCache.entry("p1", new org.nmodal.api.data.ImageFile(b))),
                "the same post id in another data set is another entry");
        assertTrue(!FeatureCache.entry("p1", new org.nmodal.api.data.TextInput("hello")).equals(
                FeatureCache.entry("p1", new org.nmodal.api.data.TextInput("hello!"))), "another text");
        Files.write(a, new byte[] {9, 9, 9, 9, 9});
        assertTrue(!ea.equals(FeatureCache.entry("p1", new org.nmodal.api.data.ImageFile(a))), "a changed file");
    }

    private static void writeFloats(Path file, float... v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        Files.write(file, b.array());
    }
}
