package org.nmodal.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.InvalidInputException;

/** The command line and the pipeline file's spark section: defaults, one-line errors, the copy the runtime checks. */
class PipelineFileTest {
    @TempDir
    Path dir;

    @Test
    void theSparkSectionIsReadAndLeftOutOfTheCopyTheRuntimeRuns() throws Exception {
        Path f = dir.resolve("p.json");
        Files.writeString(f, """
                {"id": "x", "data": {"format": "posts", "path": "posts"}, "encoders": {"text": "minilm"},
                 "tasks": ["stance"], "spark": {"batch": 8, "classifiers": ["logistic"], "trainPosts": 10}}
                """);
        PipelineFile p = PipelineFile.read(f);
        assertEquals(8, p.spark.batch());
        assertEquals(List.of("logistic"), p.spark.classifiers());
        assertEquals(10, p.spark.trainPosts());
        assertEquals(Map.of("text", "minilm"), p.encoders());
        assertEquals(dir.resolve("posts"), p.dataPath());
        Path copy = p.writeFor(dir.resolve("run/pipeline.json"), null);
        JsonObject o = JsonParser.parseString(Files.readString(copy)).getAsJsonObject();
        assertFalse(o.has("spark"));
        assertEquals(dir.resolve("posts").toString(), o.getAsJsonObject("data").get("path").getAsString());
    }

    @Test
    void defaultsWithoutASparkSection() throws Exception {
        Path f = dir.resolve("p.json");
        Files.writeString(f, "{\"id\": \"x\", \"data\": {\"path\": \"d\"}, \"encoders\": {\"text\": \"minilm\"}}");
        PipelineFile p = PipelineFile.read(f);
        assertEquals(32, p.spark.batch());
        assertEquals(PipelineFile.Spark.MLLIB, p.spark.classifiers());
        assertEquals(200_000, p.spark.trainPosts());
    }

    @Test
    void badSparkSettingsAreOneLineNamingTheField() throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"id\": \"x\", \"spark\": {\"cores\": 4}}");
        assertEquals("bad.json: spark: unknown field 'cores' (fields: batch, classifiers, load, mediaRoot, partitions, "
                + "runtimeJar, trainPosts, work)", assertThrows(InvalidInputException.class,
                        () -> PipelineFile.read(f)).getMessage());
        Files.writeString(f, "{\"id\": \"x\", \"spark\": {\"classifiers\": [\"xgboost\"]}}");
        assertEquals("bad.json: spark.classifiers: unknown MLlib classifier 'xgboost' (available: logistic, linear-svm, "
                + "naive-bayes, random-forest)", assertThrows(InvalidInputException.class,
                        () -> PipelineFile.read(f)).getMessage());
    }

    @Test
    void theCommandLine() {
        NModalSpark.Args a = NModalSpark.Args.parse(new String[] {"p.json", "--out", "o", "--data", "d"});
        assertEquals(List.of("encode", "train", "classify"), List.copyOf(a.steps()));
        assertTrue(a.out().isAbsolute());
        assertEquals("--steps: unknown step 'fit' (steps: encode, train, classify, predict)", assertThrows(
                InvalidInputException.class, () -> NModalSpark.Args.parse(new String[] {"p.json", "--out", "o",
                    "--steps", "encode,fit"})).getMessage());
        assertTrue(assertThrows(InvalidInputException.class, () -> NModalSpark.Args.parse(new String[] {"p.json"}))
                .getMessage().startsWith("usage: nmodal-spark <pipeline.json>"));
        String needs = "--steps predict needs --version N (a stored model version of the pipeline) or --model DIR "
                + "(a version folder trained/<id>/v<N>, or the model/ folder of a run that classified), one of them";
        assertEquals(needs, assertThrows(InvalidInputException.class, () -> NModalSpark.Args.parse(new String[] {
            "p.json", "--out", "o", "--steps", "predict"})).getMessage());
        assertEquals(needs, assertThrows(InvalidInputException.class, () -> NModalSpark.Args.parse(new String[] {
            "p.json", "--out", "o", "--steps", "predict", "--version", "2", "--model", "m"})).getMessage());
        assertEquals(3, NModalSpark.Args.parse(new String[] {"p.json", "--out", "o", "--steps", "predict",
            "--version", "v3"}).version());
        assertEquals("--version: 'latest' is not a version number (1, 2, ... or v1, v2, ...)", assertThrows(
                InvalidInputException.class, () -> NModalSpark.Args.parse(new String[] {"p.json", "--out", "o",
                    "--steps", "predict", "--version", "latest"})).getMessage());
    }

    @Test
    void theInputIsFoundAsAFolderAJsonlFileOrParquet() throws Exception {
        Files.createDirectories(dir.resolve("set"));
        Files.writeString(dir.resolve("set/posts.jsonl"), "{}\n");
        EncodeStep.Input i = EncodeStep.Input.of(dir.resolve("set"), null);
        assertFalse(i.parquet());
        assertEquals(dir.resolve("set"), i.mediaRoot());
        Files.writeString(dir.resolve("more.jsonl"), "{}\n");
        assertEquals("more.jsonl", EncodeStep.Input.of(dir.resolve("more.jsonl"), null).source());
        Files.createDirectories(dir.resolve("table"));
        Files.write(dir.resolve("table/part-0.parquet"), new byte[4]);
        assertTrue(EncodeStep.Input.of(dir.resolve("table"), "/media").parquet());
        assertEquals(Path.of("/media"), EncodeStep.Input.of(dir.resolve("table"), "/media").mediaRoot());
        assertTrue(assertThrows(InvalidInputException.class, () -> EncodeStep.Input.of(dir.resolve("nothing"), null))
                .getMessage().endsWith("no posts here (expected a folder with posts.jsonl, a .jsonl file or Parquet)"));
    }
}
