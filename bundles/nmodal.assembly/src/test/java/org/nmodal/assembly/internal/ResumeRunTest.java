package org.nmodal.assembly.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.pipeline.EpochStat;
import org.nmodal.api.pipeline.RunListener;

/** A run stopped after an epoch and resumed ends as one never stopped; its log goes on. Real parts, generated data. */
class ResumeRunTest {
    @TempDir
    Path dir;

    /** Stands for a kill: the run stops right after an epoch's checkpoint. */
    static final class Stop extends RuntimeException {
        Stop() {
            super("stopped");
        }
    }

    @Test
    void aStoppedRunResumesToTheSameReport() throws IOException {
        Path stopped = stopAndResume("");
        InvalidInputException done = assertThrows(InvalidInputException.class,
                () -> CrossValidationRunTest.runner().resume(stopped, l -> { }));
        assertTrue(done.getMessage().contains("has finished"), done.getMessage());
        InvalidInputException none = assertThrows(InvalidInputException.class,
                () -> CrossValidationRunTest.runner().resume(dir.resolve("data"), l -> { }));
        assertTrue(none.getMessage().contains("not a resumable run folder"), none.getMessage());
    }

    /**
     * With the MAMA weight net and broken pairs the resumed run also goes on with the net's weights, its optimiser and
     * each post's history as they were after the third epoch, and with the same meta batches.
     */
    @Test
    void aStoppedRunWithSampleWeightsResumesToTheSameReport() throws IOException {
        Path stopped = stopAndResume(",\"reweighter\":{\"name\":\"mama-metaweight\",\"metaPosts\":10,"
                + "\"signal\":\"both\",\"history\":0.8,\"warmup\":1}");
        String report = Files.readString(stopped.resolve("report.json"));
        assertTrue(report.contains("\"rocAuc\""), "the weights are in the report");
    }

    /**
     * Runs a pipeline (6 epochs; {@code extra} added to its top level) whole and stopped after epoch 3 then resumed,
     * checks that the two end alike (scores, heads byte for byte, the robustness section) and returns the resumed one.
     */
    private Path stopAndResume(String extra) throws IOException {
        table(dir.resolve("data"), 150);
        Path file = dir.resolve("p.json");
        Files.writeString(file, "{\"id\":\"resumed\",\"data\":{\"format\":\"features\",\"path\":\"data\"},"
                + "\"modalities\":[\"a\",\"b\"],\"projection\":{\"dim\":8,\"dropout\":0.2},\"loss\":\"infonce\","
                + "\"classifiers\":[\"gaussian-nb\",\"logistic\"],\"tasks\":[\"y\"]" + extra + ","
                + "\"train\":{\"epochs\":6,\"batch\":16,\"seed\":3,\"patience\":6"
                + (extra.isEmpty() ? "" : ",\"noisyPairs\":0.3") + "}}");
        Path whole = dir.resolve("whole");
        CrossValidationRunTest.runner().run(file, null, whole, l -> { });

        Path stopped = dir.resolve("stopped");
        RunListener stopAt3 = new RunListener() {
            @Override
            public void line(String line) {}

            @Override
            public void epoch(EpochStat e, int max, double eta) {
                if (e.epoch() == 3) {
                    throw new Stop();
                }
            }
        };
        assertThrows(Stop.class, () -> CrossValidationRunTest.runner().run(file, null, stopped, stopAt3));
        assertTrue(Files.exists(stopped.resolve("checkpoints/training.state")));
        java.util.List<Integer> epochs = new java.util.ArrayList<>();
        CrossValidationRunTest.runner().resume(stopped, new RunListener() {
            @Override
            public void line(String line) {}

            @Override
            public void epoch(EpochStat e, int max, double eta) {
                epochs.add(e.epoch());
            }
        });
        assertEquals(java.util.List.of(4, 5, 6), epochs, "training went on after the third epoch");
        assertEquals(results(whole), results(stopped), "the same scores as the run never stopped");
        assertArrayEquals(Files.readAllBytes(whole.resolve("checkpoints/heads.bin")),
                Files.readAllBytes(stopped.resolve("checkpoints/heads.bin")));
        assertEquals(robustness(whole), robustness(stopped), "the same retrieval and sample weights");
        String log = Files.readString(stopped.resolve("run.log"));
        assertTrue(log.indexOf("epoch   2/6") >= 0 && log.indexOf("resuming resumed") > log.indexOf("epoch   2/6")
                && log.indexOf("epoch   4/6") > log.indexOf("resuming resumed"), "run.log is appended to:\n" + log);
        return stopped;
    }

    private static String robustness(Path run) throws IOException {
        com.google.gson.JsonObject r = JsonParser.parseString(Files.readString(run.resolve("report.json")))
                .getAsJsonObject();
        return r.has("robustness") ? r.get("robustness").toString() : "";
    }

    @Test
    void aPipelineFileChangedSinceIsRefused() throws IOException {
        table(dir.resolve("data"), 60);
        Path file = dir.resolve("p.json");
        String text = "{\"id\":\"r\",\"data\":{\"format\":\"features\",\"path\":\"data\"},\"modalities\":[\"a\",\"b\"],"
                + "\"loss\":\"infonce\",\"classifiers\":[\"gaussian-nb\"],\"tasks\":[\"y\"],\"train\":{\"epochs\":3}}";
        Files.writeString(file, text);
        Path out = dir.resolve("out");
        assertThrows(Stop.class, () -> CrossValidationRunTest.runner().run(file, null, out, new RunListener() {
            @Override
            public void line(String line) {}

            @Override
            public void epoch(EpochStat e, int max, double eta) {
                throw new Stop();
            }
        }));
        Files.writeString(file, text.replace("\"epochs\":3", "\"epochs\":4"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> CrossValidationRunTest.runner().resume(out, l -> { }));
        assertTrue(e.getMessage().contains("changed since the run started"), e.getMessage());
    }

    /** The report's scores, without the times. */
    private static String results(Path run) throws IOException {
        com.google.gson.JsonArray results = JsonParser.parseString(Files.readString(run.resolve("report.json")))
                .getAsJsonObject().getAsJsonArray("results");
        results.forEach(r -> r.getAsJsonObject().remove("seconds"));
        return results.toString();
    }

    /** Two modalities sharing a label signal; split by row: 3/5 train, 1/5 dev, 1/5 test. */
    static void table(Path data, int n) throws IOException {
        Files.createDirectories(data);
        Random r = new Random(8);
        StringBuilder meta = new StringBuilder("id,split,y\n");
        ByteBuffer a = ByteBuffer.allocate(n * 6 * 4).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer b = ByteBuffer.allocate(n * 4 * 4).order(ByteOrder.LITTLE_ENDIAN);
        String[] split = {"train", "train", "train", "dev", "test"};
        for (int i = 0; i < n; i++) {
            int y = r.nextInt(2);
            meta.append("p").append(i).append(',').append(split[i % 5]).append(',').append(y == 1 ? "pos" : "neg")
                    .append('\n');
            for (int j = 0; j < 6; j++) {
                a.putFloat((float) (r.nextGaussian() + (j < 2 ? 1.2 * y : 0)));
            }
            for (int j = 0; j < 4; j++) {
                b.putFloat((float) (r.nextGaussian() + (j == 0 ? 1.2 * y : 0)));
            }
        }
        Files.writeString(data.resolve("meta.csv"), meta);
        Files.write(data.resolve("a.f32le.bin"), a.array());
        Files.write(data.resolve("b.f32le.bin"), b.array());
    }
}
