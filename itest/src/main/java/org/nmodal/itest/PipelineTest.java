package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.media.MediaWriter;
import org.nmodal.demo.DemoGenerator;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/** A whole pipeline run inside the framework, through the console command, on a feature table made here. */
@ExtendWith(ServiceExtension.class)
class PipelineTest {
    @InjectService(timeout = 30_000)
    CommandProcessor processor;

    @TempDir
    Path dir;

    @Test
    void runsTheAblationAndWritesTheReport() throws Exception {
        Path data = dir.resolve("data");
        writeTable(data, 240);
        Path file = dir.resolve("tiny.json");
        Files.writeString(file, "{\"id\":\"tiny\",\"data\":{\"format\":\"features\",\"path\":\"data\"},"
                + "\"modalities\":[\"a\",\"b\",\"c\"],\"projection\":{\"dim\":16},"
                + "\"loss\":{\"name\":\"nmodal-infonce\",\"temperature\":0.1},\"fusion\":\"mean\","
                + "\"classifiers\":[\"gaussian-nb\",\"logistic\"],\"tasks\":[\"y\"],"
                + "\"train\":{\"epochs\":8,\"batch\":32,\"seed\":3}}");
        Path out = dir.resolve("out");
        String printed = run("nmodal:run --out \"" + out + "\" \"" + file + "\"");
        assertTrue(printed.contains("task y"), printed);
        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
        JsonArray results = report.getAsJsonArray("results");
        // 1 task x 7 modality subsets x 2 feature kinds x 2 classifiers
        assertEquals(28, results.size());
        double bestAll = 0;
        double bestSingle = 0;
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            double acc = r.get("accuracy").getAsDouble();
            int n = r.getAsJsonArray("modalities").size();
            if (n == 3) {
                bestAll = Math.max(bestAll, acc);
            } else if (n == 1) {
                bestSingle = Math.max(bestSingle, acc);
            }
        }
        // each modality sees a different half of the signal: together they must beat any one alone
        assertTrue(bestAll >= 0.85, "all three modalities " + bestAll);
        assertTrue(bestAll > bestSingle + 0.05, "all " + bestAll + " vs best single " + bestSingle);
        assertEquals(9, report.getAsJsonArray("retrieval").size()); // 3 x 2 ordered pairs + 3 "all others"
        assertTrue(Files.readString(out.resolve("report.html")).contains("<svg"), "report.html has its charts");
        assertTrue(Files.exists(out.resolve("checkpoints/heads.bin")));
        assertTrue(Files.readString(out.resolve("run.log")).contains("epoch   1/8"), "progress is logged with the run");
    }

    @InjectService(timeout = 30_000)
    MediaWriter writer;

    @Test
    void generatedPostsWithACorruptVideoRunEndToEnd() throws Exception {
        Path data = dir.resolve("posts");
        // 90 posts with text, PNG and MP4 (with sound); the first two videos are cut short on purpose
        DemoGenerator.generate(data, new DemoGenerator.Settings(90, 3, 2, 11), writer, line -> { });
        Path file = dir.resolve("posts.json");
        Files.writeString(file, "{\"id\":\"posts\",\"data\":{\"format\":\"posts\",\"path\":\"posts\"},"
                + "\"encoders\":{\"text\":\"minilm\",\"image\":\"image-classic\",\"video\":\"video-frames\"},"
                + "\"projection\":{\"dim\":32},\"loss\":{\"name\":\"nmodal-infonce\"},"
                + "\"classifiers\":[\"gaussian-nb\"],\"tasks\":[\"stance\",\"account\"],"
                + "\"train\":{\"epochs\":3,\"batch\":32}}");
        Path out = dir.resolve("out");
        run("nmodal:run --out \"" + out + "\" \"" + file + "\"");
        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
        JsonArray errors = report.getAsJsonArray("errors");
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).getAsString().startsWith("post p00000: video "), errors.toString());
        assertTrue(errors.get(0).getAsString().endsWith("the post goes on without video"), errors.toString());
        // 2 tasks x 7 subsets x 2 kinds x 1 classifier, every post still counted
        assertEquals(28, report.getAsJsonArray("results").size());
        assertEquals(90, report.getAsJsonObject("data").get("posts").getAsInt());
        // a second run takes every vector from the feature cache
        String again = run("nmodal:run --out \"" + dir.resolve("out2") + "\" \"" + file + "\"");
        assertTrue(again.contains("text: minilm, 90 from cache, 0 encoded"), again);
        assertTrue(again.contains("video: video-frames, 88 from cache, 2 encoded"), again);
    }

    /**
     * The pretrained networks meet bad media post by post: a corrupt image, an image whose header declares more pixels
     * than {@code maxPixels} (never decoded) and a video with no decodable frame each cost one line and that post's
     * modality; the run completes on every post.
     */
    @Test
    void theNeuralEncodersTakeBadMediaPostByPost() throws Exception {
        Path data = dir.resolve("bad-media");
        DemoGenerator.generate(data, new DemoGenerator.Settings(40, 3, 0, 13), writer, line -> { });
        Files.write(data.resolve("img/p00003.png"), "not a picture at all".getBytes());
        Files.write(data.resolve("img/p00004.png"), pngHeader(20_000, 20_000));
        Files.write(data.resolve("vid/p00005.mp4"), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 9});
        Path file = dir.resolve("bad-media.json");
        Files.writeString(file, "{\"id\":\"bad-media\",\"data\":{\"format\":\"posts\",\"path\":\"bad-media\"},"
                + "\"encoders\":{\"text\":\"minilm\",\"image\":\"image-mobilenet\",\"video\":\"video-mobilenet\"},"
                + "\"projection\":{\"dim\":16},\"classifiers\":[\"gaussian-nb\"],\"tasks\":[\"stance\"],"
                + "\"evaluate\":{\"subsets\":[\"all\"]},\"train\":{\"epochs\":2,\"batch\":16}}");
        Path out = dir.resolve("bad-media-out");
        run("nmodal:run --out \"" + out + "\" \"" + file + "\"");
        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
        JsonArray errors = report.getAsJsonArray("errors");
        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.get(0).getAsString().startsWith("post p00003: image "), errors.toString());
        assertTrue(errors.get(1).getAsString().startsWith("post p00004: image ")
                && errors.get(1).getAsString().contains("pixels"), errors.toString());
        assertTrue(errors.get(2).getAsString().startsWith("post p00005: video ")
                && errors.get(2).getAsString().endsWith("the post goes on without video"), errors.toString());
        assertEquals(40, report.getAsJsonObject("data").get("posts").getAsInt());
        assertEquals(2, report.getAsJsonArray("results").size(), "all three modalities, raw and aligned");
    }

    /** A PNG signature and header chunk declaring a size, and nothing else. */
    private static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(width).putInt(height)
                .put(new byte[] {8, 2, 0, 0, 0});
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }

    @Test
    void anUnknownNameIsOneLineWithTheChoices() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"id\":\"bad\",\"data\":{\"format\":\"posts\",\"path\":\"nowhere\"},"
                + "\"encoders\":{\"text\":\"gpt-9\"},\"tasks\":[\"stance\"]}");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run("nmodal:validate \"" + file + "\""));
        assertEquals("bad.json: encoders.text: unknown encoder 'gpt-9' (available: bge-small, minilm)", e.getMessage());
        Files.writeString(file, "{\"id\":\"bad\",\"data\":{\"format\":\"features\",\"path\":\"x\"},"
                + "\"modalities\":[\"a\"],\"fusion\":\"median\",\"tasks\":[\"y\"]}");
        e = assertThrows(InvalidInputException.class, () -> run("nmodal:validate \"" + file + "\""));
        assertEquals("bad.json: fusion: unknown fusion 'median' (available: concat, cross-attention, gated, mean)", e.getMessage());
        Files.writeString(file, "{\"id\":\"bad\",\"data\":{\"format\":\"features\",\"path\":\"x\"},"
                + "\"modalities\":[\"a\"],\"loss\":{\"name\":\"nmodal-infonce\",\"temprature\":0.1},\"tasks\":[\"y\"]}");
        e = assertThrows(InvalidInputException.class, () -> run("nmodal:validate \"" + file + "\""));
        assertTrue(e.getMessage().startsWith("bad.json: loss nmodal-infonce: unknown setting 'temprature'"),
                e.getMessage());
    }

    /** y is bit0 OR bit1; modality a sees bit 0, b sees bit 1, c sees both weakly. */
    private static void writeTable(Path data, int n) throws Exception {
        Files.createDirectories(data);
        Random r = new Random(5);
        StringBuilder meta = new StringBuilder("id,split,y\n");
        float[][] a = new float[n][6];
        float[][] b = new float[n][6];
        float[][] c = new float[n][6];
        for (int i = 0; i < n; i++) {
            int bit0 = r.nextInt(2);
            int bit1 = r.nextInt(2);
            int y = bit0 | bit1; // OR: one modality alone is right about 3 times in 4
            meta.append("p").append(i).append(',').append(i < n * 0.6 ? "train" : i < n * 0.7 ? "dev" : "test")
                    .append(',').append(y == 1 ? "yes" : "no").append('\n');
            for (int j = 0; j < 6; j++) {
                a[i][j] = (float) (r.nextGaussian() * 0.5 + (j == 0 ? 3 * bit0 : 0));
                b[i][j] = (float) (r.nextGaussian() * 0.5 + (j == 0 ? 3 * bit1 : 0));
                c[i][j] = (float) (r.nextGaussian() + (j == 0 ? bit0 : 0) + (j == 1 ? bit1 : 0));
            }
        }
        Files.writeString(data.resolve("meta.csv"), meta);
        write(data.resolve("a.f32le.bin"), a);
        write(data.resolve("b.f32le.bin"), b);
        write(data.resolve("c.f32le.bin"), c);
    }

    private static void write(Path file, float[][] x) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(4 * x.length * x[0].length).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : x) {
            for (float v : row) {
                buf.putFloat(v);
            }
        }
        Files.write(file, buf.array());
    }

    private String run(String command) throws Exception {
        return Gogo.run(processor, command);
    }
}
