package org.nmodal.assembly.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.classify.TrainedClassifier;
import org.nmodal.evaluation.ConfiguredClassifier;
import org.nmodal.assembly.PipelineDefinition;

/** {@code "classifiers": [{"name": ..., <settings>}]}: read, checked by the classifier before any work, passed on. */
class ClassifierSettingsTest {
    @TempDir
    Path dir;

    private Path pipeline(String classifiers) throws IOException {
        ResumeRunTest.table(dir.resolve("data"), 30);
        Path file = dir.resolve("p.json");
        Files.writeString(file, "{\"id\":\"c\",\"data\":{\"format\":\"features\",\"path\":\"data\"},\"modalities\":[\"a\","
                + "\"b\"],\"loss\":\"infonce\",\"classifiers\":" + classifiers + ",\"tasks\":[\"y\"]}");
        return file;
    }

    @Test
    void settingsAreReadPerClassifier() throws IOException {
        PipelineDefinition p = PipelineDefinition.read(pipeline("[\"gaussian-nb\",{\"name\":\"logistic\",\"c\":0.5}]"),
                null);
        assertEquals(List.of("gaussian-nb", "logistic"), p.classifiers());
        assertEquals(Map.of("logistic", Map.of("c", 0.5)), p.classifierSettings());
        assertEquals("logistic", PipelineDefinition.read(pipeline("[{\"name\":\"logistic\"}]"), null).servingClassifier());
        InvalidInputException twice = assertThrows(InvalidInputException.class,
                () -> PipelineDefinition.read(pipeline("[\"logistic\",{\"name\":\"logistic\",\"c\":1}]"), null));
        assertEquals("p.json: classifiers[1]: 'logistic' is listed twice", twice.getMessage());
    }

    @Test
    void anUnknownSettingIsOneLineBeforeAnyWork() throws IOException {
        CrossValidationRunTest.runner().validate(pipeline("[{\"name\":\"logistic\",\"c\":0.5}]"), null);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> CrossValidationRunTest.runner()
                .validate(pipeline("[\"logistic\",{\"name\":\"gaussian-nb\",\"trees\":300}]"), null));
        assertEquals("p.json: classifiers[1]: classifier 'gaussian-nb' takes no settings (got trees)", e.getMessage());
        InvalidInputException c = assertThrows(InvalidInputException.class, () -> CrossValidationRunTest.runner()
                .validate(pipeline("[{\"name\":\"logistic\",\"cost\":1}]"), null));
        assertEquals("p.json: classifiers[0]: classifier 'logistic': unknown setting 'cost' (settings: c)",
                c.getMessage());
    }

    @Test
    void everyFitGetsTheSettings() {
        List<Map<String, ?>> seen = new ArrayList<>();
        DownstreamClassifier spy = new DownstreamClassifier() {
            @Override
            public String name() {
                return "spy";
            }

            @Override
            public TrainedClassifier train(float[][] x, int[] y, int classes, long seed) {
                throw new AssertionError("the settings were dropped");
            }

            @Override
            public TrainedClassifier train(float[][] x, int[] y, int classes, long seed, Map<String, ?> settings) {
                seen.add(settings);
                return null;
            }

            @Override
            public TrainedClassifier load(InputStream in) {
                return null;
            }
        };
        assertSame(spy, ConfiguredClassifier.of(spy, Map.of()), "no settings: the service itself");
        ConfiguredClassifier.of(spy, Map.of("trees", 300.0)).train(new float[0][], new int[0], 2, 1);
        assertEquals(List.of(Map.of("trees", 300.0)), seen);
        assertTrue(ConfiguredClassifier.of(spy, Map.of("trees", 300.0)).name().equals("spy"));
    }
}
