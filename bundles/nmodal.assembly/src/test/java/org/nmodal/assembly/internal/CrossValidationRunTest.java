package org.nmodal.assembly.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.fusion.FusionStrategy;
import org.nmodal.api.loss.MultimodalLoss;
import org.nmodal.api.pipeline.PipelineSpec;
import org.nmodal.api.pipeline.RunListener;
import org.nmodal.api.pipeline.RunResult;
import org.nmodal.assembly.EncoderLease;
import org.nmodal.assembly.EncoderListener;
import org.nmodal.assembly.Parts;

/** A 3-fold cross-validated run of a tiny generated feature table, end to end, with real parts. */
class CrossValidationRunTest {
    @TempDir
    Path dir;

    @Test
    void threeFoldRunReportsMeanAndSdAndEachFold() throws IOException {
        Path out = dir.resolve("out");
        List<String> lines = new ArrayList<>();
        RunResult result = runThreeFolds("\"classifiers\":[\"gaussian-nb\",\"logistic\"]", "", lines);

        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
        JsonObject cv = report.getAsJsonObject("crossValidation");
        assertEquals(3, cv.get("folds").getAsInt());
        assertEquals("fold", cv.get("field").getAsString());
        JsonArray results = report.getAsJsonArray("results");
        assertEquals(3 * 2 * 2, results.size()); // 3 subsets x raw/aligned x 2 classifiers
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            JsonArray folds = r.getAsJsonArray("folds");
            assertEquals(3, folds.size());
            double sum = 0;
            for (JsonElement f : folds) {
                sum += f.getAsJsonObject().get("accuracy").getAsDouble();
            }
            assertEquals(sum / 3, r.get("accuracy").getAsDouble(), 1e-5, "the accuracy is the mean over folds");
            assertTrue(r.has("accuracySd") && r.has("macroF1Sd"));
            int tested = 0;
            for (JsonElement row : r.getAsJsonArray("confusion")) {
                for (JsonElement v : row.getAsJsonArray()) {
                    tested += v.getAsInt();
                }
            }
            assertEquals(120, tested, "every post is tested exactly once over the folds");
        }
        for (String fold : List.of("0", "1", "2")) {
            Path sub = out.resolve("fold-" + fold);
            assertTrue(Files.exists(sub.resolve("checkpoints/heads.bin")), fold);
            JsonObject one = JsonParser.parseString(Files.readString(sub.resolve("report.json"))).getAsJsonObject();
            assertTrue(one.has("provenance") && !one.has("crossValidation"), "a fold's report is a plain report");
        }
        assertTrue(result.summary().contains(" ± "), result.summary());
        assertTrue(result.summary().contains("3-fold cross-validation"), result.summary());
        assertTrue(Files.readString(out.resolve("report.html")).contains("fold-1/report.html"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("fold 3/3 (2): evaluating 12/12: task y, subset")
                && l.endsWith("done")), String.join("\n", lines));
        assertTrue(Files.readString(out.resolve("run.log")).contains("cross-validation on fold: 3 folds"));
    }

    @Test
    void noisyPairsAndSampleWeightsAreMeasuredPerFoldAndAveraged() throws IOException {
        Path out = dir.resolve("out");
        List<String> lines = new ArrayList<>();
        runThreeFolds("\"reweighter\":{\"name\":\"mama-metaweight\",\"metaPosts\":10},\"classifiers\":[\"logistic\"]",
                ",\"noisyPairs\":0.3", lines);

        JsonObject cv = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject()
                .getAsJsonObject("robustness");
        JsonArray folds = cv.getAsJsonArray("folds");
        assertEquals(3, folds.size());
        double r1 = 0;
        double auc = 0;
        int corrupted = 0;
        for (int k = 0; k < 3; k++) {
            JsonObject f = folds.get(k).getAsJsonObject();
            assertEquals(String.valueOf(k), f.get("fold").getAsString());
            JsonObject own = JsonParser.parseString(Files.readString(out.resolve("fold-" + k + "/report.json")))
                    .getAsJsonObject().getAsJsonObject("robustness");
            assertEquals(own.get("meanR1"), f.get("meanR1"), "a fold's figures are its own report's");
            assertEquals(12, own.get("corruptedPosts").getAsInt(), "30 % of the fold's 40 training posts");
            assertTrue(own.getAsJsonObject("weights").has("histogramClean"), "each fold has its weights' histogram");
            r1 += f.get("meanR1").getAsDouble();
            auc += f.getAsJsonObject("weights").get("rocAuc").getAsDouble();
            corrupted += f.get("corruptedPosts").getAsInt();
        }
        assertEquals(r1 / 3, cv.get("meanR1").getAsDouble(), 1e-4, "the mean R@1 is the mean over the folds");
        assertEquals(auc / 3, cv.getAsJsonObject("weights").get("rocAuc").getAsDouble(), 1e-4);
        assertEquals(corrupted, cv.get("corruptedPosts").getAsInt());
        assertEquals(120, cv.get("trainingPosts").getAsInt(), "each post trains in one of the three folds");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("fold 2/3 (1): noisy pairs: 12 of 40 training posts")),
                String.join("\n", lines));
        assertTrue(Files.readString(out.resolve("report.html")).contains("averaged over the 3 folds"));
    }

    @Test
    void labelFractionsStillNeedOneSplit() throws IOException {
        table(dir.resolve("data"), 30);
        Path file = dir.resolve("cv.json");
        Files.writeString(file, "{\"id\":\"cv\",\"data\":{\"format\":\"features\",\"path\":\"data\",\"folds\":\"fold\"},"
                + "\"modalities\":[\"a\",\"b\"],\"loss\":\"infonce\",\"classifiers\":[\"gaussian-nb\"],\"tasks\":[\"y\"],"
                + "\"evaluate\":{\"labelFractions\":[0.5,1]}}");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> runner().run(file, null, dir.resolve("out"), l -> { }));
        assertEquals("cv.json: evaluate.labelFractions needs one split (train/dev/test), not data.folds", e.getMessage());
    }

    @Test
    void aMissingFoldColumnIsNamed() throws IOException {
        table(dir.resolve("data"), 30);
        Path file = dir.resolve("cv.json");
        Files.writeString(file, "{\"id\":\"cv\",\"data\":{\"format\":\"features\",\"path\":\"data\",\"folds\":\"fld\"},"
                + "\"modalities\":[\"a\"],\"loss\":\"infonce\",\"classifiers\":[\"gaussian-nb\"],\"tasks\":[\"y\"]}");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> runner().run(file, null, dir.resolve("out"), l -> { }));
        assertTrue(e.getMessage().contains("no column fld"), e.getMessage());
    }

    /**
     * Runs a pipeline over a 120-row table in three folds into {@code out}: two modalities, 8-d heads, InfoNCE,
     * concat, task y, two epochs; {@code parts} adds the classifiers (and a reweighter), {@code train} to the training.
     */
    private RunResult runThreeFolds(String parts, String train, List<String> lines) throws IOException {
        table(dir.resolve("data"), 120);
        Path file = dir.resolve("cv.json");
        Files.writeString(file, "{\"id\":\"cv\",\"data\":{\"format\":\"features\",\"path\":\"data\",\"folds\":\"fold\"},"
                + "\"modalities\":[\"a\",\"b\"],\"projection\":{\"dim\":8},\"loss\":\"infonce\",\"fusion\":\"concat\","
                + parts + ",\"tasks\":[\"y\"],\"train\":{\"epochs\":2,\"batch\":16,\"seed\":3" + train + "}}");
        RunListener listener = lines::add;
        return runner().run(file, null, dir.resolve("out"), listener);
    }

    /** Two modalities sharing a label signal; fold = row mod 3; the split column says train everywhere. */
    static void table(Path data, int n) throws IOException {
        Files.createDirectories(data);
        Random r = new Random(5);
        StringBuilder meta = new StringBuilder("id,split,fold,y\n");
        ByteBuffer a = ByteBuffer.allocate(n * 6 * 4).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer b = ByteBuffer.allocate(n * 4 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            int y = r.nextInt(2);
            meta.append("p").append(i).append(",train,").append(i % 3).append(',').append(y == 1 ? "pos" : "neg")
                    .append('\n');
            for (int j = 0; j < 6; j++) {
                a.putFloat((float) (r.nextGaussian() + (j < 2 ? 1.5 * y : 0)));
            }
            for (int j = 0; j < 4; j++) {
                b.putFloat((float) (r.nextGaussian() + (j == 0 ? 1.5 * y : 0)));
            }
        }
        Files.writeString(data.resolve("meta.csv"), meta);
        Files.write(data.resolve("a.f32le.bin"), a.array());
        Files.write(data.resolve("b.f32le.bin"), b.array());
    }

    static PipelineRunner runner() {
        return new PipelineRunner(new TestParts(), null, Engine.getEngine("PyTorch"), (org.nmodal.api.pipeline.WorkFolder) null);
    }

    /** The parts a feature-table run needs: InfoNCE, concat fusion, naive Bayes and logistic regression. */
    static final class TestParts implements Parts {
        @Override
        public EncoderLease lease(String name) {
            return null;
        }

        @Override
        public boolean hasEncoder(String name) {
            return false;
        }

        @Override
        public List<String> encoderNames(String modality) {
            return List.of();
        }

        @Override
        public ModalityEncoder encoder(String modality, String name, String field) {
            throw new InvalidInputException(field + ": no encoders here");
        }

        @Override
        public MultimodalLoss loss(String name, String field) {
            return new MultimodalLoss() {
                @Override
                public String name() {
                    return "nmodal-infonce";
                }

                @Override
                public org.nmodal.api.loss.LossFunction create(java.util.Map<String, ?> settings,
                        ai.djl.ndarray.NDManager manager) {
                    return org.nmodal.loss.Losses.infoNce(0.07).apply(manager);
                }
            };
        }

        @Override
        public org.nmodal.api.loss.SampleReweighter reweighter(String name, String field) {
            return new org.nmodal.api.loss.SampleReweighter() {
                @Override
                public String name() {
                    return "mama-metaweight";
                }

                @Override
                public org.nmodal.api.loss.Reweighting create(java.util.Map<String, ?> settings,
                        ai.djl.ndarray.NDManager manager) {
                    return org.nmodal.loss.Losses.metaWeight(settings).apply(manager);
                }
            };
        }

        @Override
        public FusionStrategy fusion(String name, String field) {
            return org.nmodal.fusion.StandaloneFusions.byName("concat");
        }

        @Override
        public org.nmodal.api.metadata.MetadataAdapter adapter(String name, String field) {
            throw new org.nmodal.api.InvalidInputException(field + ": unknown adapter '" + name + "'");
        }

        @Override
        public DownstreamClassifier classifier(String name, String field) {
            return org.nmodal.classify.StandaloneClassifiers.byName(name.equals("logistic") ? "logistic" : "gaussian-nb",
                    java.util.Map.of());
        }

        @Override
        public void validate(PipelineSpec spec) {}

        @Override
        public long generation() {
            return 0;
        }

        @Override
        public JsonObject provenance(Object service, String kind, String name) {
            JsonObject o = new JsonObject();
            o.addProperty("kind", kind);
            o.addProperty("name", name);
            return o;
        }

        @Override
        public void addListener(EncoderListener listener) {}

        @Override
        public void removeListener(EncoderListener listener) {}
    }
}
