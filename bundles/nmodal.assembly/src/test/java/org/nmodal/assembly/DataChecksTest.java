package org.nmodal.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.data.Split;
import org.nmodal.evaluation.DataChecks;
import org.nmodal.data.FeatureSet;

/** Data that cannot give a meaningful result stops the run with one line; a task that cannot be scored is warned. */
class DataChecksTest {
    @TempDir
    Path dir;
    private final List<String> log = new ArrayList<>();

    private PipelineDefinition spec(String tasks) throws IOException {
        return PipelineDefinition.read(Files.writeString(dir.resolve("p.json"), "{\"id\": \"p\", \"data\": {\"format\": "
                + "\"posts\", \"path\": \"d\"}, \"encoders\": {\"text\": \"t\", \"image\": \"i\"}, \"tasks\": " + tasks
                + "}"), null);
    }

    /** Six posts: 0-3 fit, 4-5 test; labels per task as given. */
    private static FeatureSet set(Map<String, String[]> labels) {
        FeatureSet s = new FeatureSet(List.of("a", "b", "c", "d", "e", "f"), new Split[] {Split.TRAIN, Split.TRAIN,
                Split.TRAIN, Split.TRAIN, Split.TEST, Split.TEST}, labels);
        s.labelKeys(labels.keySet());
        s.put("text", 1, new float[][] {{1}, {2}, {3}, {4}, {5}, {6}});
        s.put("image", 1, new float[][] {{1}, null, null, null, {5}, null});
        return s;
    }

    private static final int[] FIT = {0, 1, 2, 3};
    private static final int[] TEST = {4, 5};

    @Test
    void aTaskNoPostHasIsNamedWithTheLabelsThereAre() throws IOException {
        FeatureSet s = set(Map.of("stance", new String[] {"a", "b", "a", "b", "a", "b"}));
        Map<String, String[]> l = new LinkedHashMap<>(Map.of("stance", new String[] {"a", "b", "a", "b", "a", "b"}));
        l.put("topic", new String[6]);
        FeatureSet withTopic = set(l);
        withTopic.labelKeys(List.of("stance"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DataChecks.tasks(spec("[\"stance\", \"topic\"]"), withTopic, FIT, TEST, log::add));
        assertEquals("p.json: tasks: no post has a label for 'topic' (labels in the data: stance)", e.getMessage());
        assertEquals(List.of("stance"), DataChecks.tasks(spec("[\"stance\"]"), s, FIT, TEST, log::add));
    }

    @Test
    void aSingleClassTaskIsLeftOutWithAWarningOrStopsTheRunWhenAlone() throws IOException {
        Map<String, String[]> l = new LinkedHashMap<>();
        l.put("stance", new String[] {"a", "b", "a", "b", "a", "b"});
        l.put("one", new String[] {"x", "x", "x", "x", "x", "x"});
        FeatureSet s = set(l);
        assertEquals(List.of("stance"), DataChecks.tasks(spec("[\"stance\", \"one\"]"), s, FIT, TEST, log::add));
        assertEquals(List.of("task 'one': every labelled training post has the class 'x'; with one class there is "
                + "nothing to learn; the task is left out"), s.warnings());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DataChecks.tasks(spec("[\"one\"]"), set(l), FIT, TEST, log::add));
        assertTrue(e.getMessage().startsWith("p.json: task 'one': every labelled training post has the class 'x'"),
                e.getMessage());
    }

    @Test
    void noTestPostsStopTheRunAndOneClassInTestIsWarned() throws IOException {
        FeatureSet s = set(Map.of("stance", new String[] {"a", "b", "a", "b", "a", "a"}));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DataChecks.tasks(spec("[\"stance\"]"), s, FIT, new int[0], log::add));
        assertTrue(e.getMessage().startsWith("p.json: the data has no test posts (\"split\": \"test\" in posts.jsonl)"),
                e.getMessage());
        DataChecks.tasks(spec("[\"stance\"]"), s, FIT, TEST, log::add);
        assertEquals(List.of("task 'stance': every labelled test post has the class 'a'; its accuracy says little"),
                s.warnings());
    }

    @Test
    void aModalityInOneTrainingPostIsLeftOutAndTheHeadsNeedPairs() throws IOException {
        FeatureSet s = set(Map.of("stance", new String[] {"a", "b", "a", "b", "a", "b"}));
        PipelineDefinition kept = spec("[\"stance\"]").withModalities(
                DataChecks.modalities(spec("[\"stance\"]"), s, FIT, log::add));
        assertEquals(List.of("text"), kept.modalities());
        assertEquals("image: only 1 training post(s) have it (at least 2 are needed); the run goes on without image",
                s.warnings().get(0));
        assertFalse(DataChecks.contrastable(spec("[\"stance\"]"), s, FIT, log::add));
        assertTrue(DataChecks.contrastable(spec("[\"stance\"]"), s, new int[] {0, 4}, log::add));
    }
}
