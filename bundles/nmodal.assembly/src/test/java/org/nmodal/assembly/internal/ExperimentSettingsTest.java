package org.nmodal.assembly.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.InvalidInputException;
import org.nmodal.assembly.PipelineDefinition;

/** The reweighter, noisy-pair and label-fraction settings of a pipeline file, and their one-line errors. */
class ExperimentSettingsTest {
    @TempDir
    Path dir;

    private PipelineDefinition read(String extra) throws Exception {
        Path f = dir.resolve("p.json");
        Files.writeString(f, "{\"id\": \"p\", \"data\": {\"path\": \".\"}, \"modalities\": [\"a\", \"b\"], "
                + "\"tasks\": [\"t\"]" + extra + "}");
        return PipelineDefinition.read(f, null);
    }

    @Test
    void theSettingsAreRead() throws Exception {
        PipelineDefinition.Experiment x = read(", \"reweighter\": {\"name\": \"mama-metaweight\", \"metaPosts\": 50}, "
                + "\"train\": {\"noisyPairs\": 0.3, \"noisyModality\": \"b\"}, "
                + "\"evaluate\": {\"labelFractions\": [0.01, 1], \"lateFusion\": true}").experiment();
        assertEquals("mama-metaweight", x.reweighter());
        assertEquals(50.0, x.reweighterSettings().get("metaPosts"));
        assertEquals(0.3, x.noisyPairs());
        assertEquals("b", x.noisyModality());
        assertEquals(List.of(0.01, 1.0), x.labelFractions());
        assertTrue(x.lateFusion());
        PipelineDefinition.Experiment none = read("").experiment();
        assertNull(none.reweighter());
        assertEquals(0.0, none.noisyPairs());
        assertTrue(none.labelFractions().isEmpty());
        assertFalse(none.lateFusion(), "late fusion only when asked for");
    }

    @Test
    void theSubsetsAreRead() throws Exception {
        PipelineDefinition p = read(", \"evaluate\": {\"subsets\": [\"singles\", [\"b\", \"a\"]]}");
        var chosen = p.experiment().subsets().choose(p.modalities());
        assertEquals(List.of(List.of("a"), List.of("b"), List.of("a", "b")), chosen.subsets());
        assertEquals(List.of("singles"), p.experiment().subsets().keywords());
        assertEquals(3, read("").experiment().subsets().choose(List.of("a", "b")).subsets().size(), "default: all 3");
        assertTrue(assertThrows(InvalidInputException.class,
                () -> read(", \"evaluate\": {\"subsets\": [[\"a\", \"c\"]]}")).getMessage()
                .equals("p.json: evaluate.subsets[0]: unknown modality 'c' (modalities: a, b)"));
    }

    @Test
    void badSettingsAreOneLineNamingTheField() {
        assertTrue(assertThrows(InvalidInputException.class, () -> read(", \"train\": {\"noisyPairs\": 1.5}"))
                .getMessage().contains("p.json: train.noisyPairs: must be a number >= 0 and <= 1, got 1.5"));
        assertTrue(assertThrows(InvalidInputException.class, () -> read(", \"train\": {\"noisyModality\": \"c\"}"))
                .getMessage().contains("train.noisyModality 'c' is not one of [a, b]"));
        assertTrue(assertThrows(InvalidInputException.class,
                () -> read(", \"evaluate\": {\"labelFractions\": [0, 0.5]}")).getMessage()
                .contains("evaluate.labelFractions: 0 is not a number in (0, 1]"));
        assertTrue(assertThrows(InvalidInputException.class, () -> read(", \"evaluate\": {\"fractions\": [0.5]}"))
                .getMessage().contains("evaluate: unknown field 'fractions'"));
        assertTrue(assertThrows(InvalidInputException.class, () -> read(", \"evaluate\": {\"lateFusion\": \"yes\"}"))
                .getMessage().contains("evaluate.lateFusion"));
    }
}
