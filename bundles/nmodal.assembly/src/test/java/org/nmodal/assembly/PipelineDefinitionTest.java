package org.nmodal.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.InvalidInputException;

/** A pipeline file with a wrong field is one line naming the field, never a parser's exception or a silent default. */
class PipelineDefinitionTest {
    @TempDir
    Path dir;

    private static final String GOOD = "{\"id\": \"p\", \"data\": {\"format\": \"posts\", \"path\": \"d\"}, "
            + "\"encoders\": {\"text\": \"minilm\"}, \"projection\": {\"dim\": 16}, \"classifiers\": [\"logistic\"], "
            + "\"tasks\": [\"stance\"], \"train\": {\"epochs\": 2, \"batch\": 16}}";

    private Path file(String json) throws IOException {
        return Files.writeString(dir.resolve("p.json"), json);
    }

    /** The good file with {@code from} replaced by {@code to}. */
    private String error(String from, String to) throws IOException {
        assertTrue(GOOD.contains(from), from);
        return error(GOOD.replace(from, to));
    }

    private String error(String json) throws IOException {
        Path f = file(json);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PipelineDefinition.read(f, null));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void theGoodFileReads() throws IOException {
        PipelineDefinition d = PipelineDefinition.read(file(GOOD), null);
        assertEquals(16, d.projectionDim());
        assertEquals(2, d.training().epochs());
    }

    @Test
    void anObjectOrListWhereANameBelongsIsNamed() throws IOException {
        assertEquals("p.json: fusion: missing field 'name'", error("\"tasks\"", "\"fusion\": {}, \"tasks\""));
        assertEquals("p.json: classifiers[0]: missing field 'name'",
                error("[\"logistic\"]", "[{}]"));
        assertEquals("p.json: loss: must be a name or an object {\"name\": ..., <settings>}, got []",
                error("\"tasks\"", "\"loss\": [], \"tasks\""));
        assertEquals("p.json: encoders.text: must be a string, got {}", error("{\"text\": \"minilm\"}",
                "{\"text\": {}}"));
        assertEquals("p.json: tasks[0]: must be a name (a string), got [1]", error("[\"stance\"]", "[[1]]"));
        assertEquals("p.json: fusion: must be a name or an object {\"name\": ..., <settings>}, got 3",
                error("\"tasks\"", "\"fusion\": 3, \"tasks\""));
        assertEquals("p.json: id: must be a string, got {}", error("\"id\": \"p\"", "\"id\": {}"));
        assertEquals("p.json: data.path: must be a string, got [\"a\"]", error("\"path\": \"d\"", "\"path\": [\"a\"]"));
        assertEquals("p.json: not a JSON object (the file holds [])", error("[]"));
    }

    @Test
    void aHugeProjectionIsRefusedBeforeAnyMemoryIsTaken() throws IOException {
        assertEquals("p.json: projection.dim: must be a whole number from 2 to 4096, got 1e12",
                error("\"dim\": 16", "\"dim\": 1e12"));
        assertEquals("p.json: projection.dim: must be a whole number from 2 to 4096, got 1e9",
                error("\"dim\": 16", "\"dim\": 1e9"));
        assertEquals("p.json: projection.dim: must be a whole number from 2 to 4096, got 16.5",
                error("\"dim\": 16", "\"dim\": 16.5"));
    }

    @Test
    void eachTrainingSettingIsNamedOnItsOwn() throws IOException {
        assertEquals("p.json: train.batch: must be a whole number from 2 to 1000000, got -1",
                error("\"batch\": 16", "\"batch\": -1"));
        assertEquals("p.json: projection.dropout: must be a number >= 0 and < 1, got 1",
                error("\"dim\": 16", "\"dim\": 16, \"dropout\": 1"));
        assertEquals("p.json: train.lr: must be a number > 0 and <= 10, got -0.1",
                error("\"batch\": 16", "\"batch\": 16, \"lr\": -0.1"));
        assertEquals("p.json: train.epochs: must be a whole number from 1 to 100000, got 0",
                error("\"epochs\": 2", "\"epochs\": 0"));
        assertEquals("p.json: train.patience: must be a whole number from 1 to 100000, got -1",
                error("\"batch\": 16", "\"batch\": 16, \"patience\": -1"));
        assertEquals("p.json: train.weightDecay: must be a number >= 0 and <= 10, got -1",
                error("\"batch\": 16", "\"batch\": 16, \"weightDecay\": -1"));
        assertEquals("p.json: train.epochs: must be a whole number from 1 to 100000, got \"3\"",
                error("\"epochs\": 2", "\"epochs\": \"3\""));
        assertEquals("p.json: train.batch: must be a whole number from 2 to 1000000, got [1]",
                error("\"batch\": 16", "\"batch\": [1]"));
        assertEquals("p.json: train: unknown field 'epoch' (fields: batch, epochs, lr, noisyModality, noisyPairs, patience, seed, weightDecay)",
                error("\"epochs\": 2", "\"epoch\": 2"));
        assertEquals("p.json: encodeTimeoutMs: must be a whole number from 1 to 86400000, got 0",
                error("\"tasks\"", "\"encodeTimeoutMs\": 0, \"tasks\""));
    }

    @Test
    void aRepeatedKeyIsAnErrorNotTheLastOneWinning() throws IOException {
        assertEquals("p.json: not valid JSON (duplicate key 'id')", error("\"id\": \"p\"", "\"id\": \"p\", \"id\": \"q\""));
        assertEquals("p.json: not valid JSON (duplicate key 'train.epochs')",
                error("\"epochs\": 2", "\"epochs\": 2, \"epochs\": 300"));
    }

    @Test
    void anIdThatWouldLeaveTheWorkFolderOrBreakALinkIsRefused() throws IOException {
        for (String id : new String[] {"../../escaped", "a/b", ".hidden", "", "a b", "a%2F", "x?y", "#", "é"}) {
            String msg = error("\"id\": \"p\"", "\"id\": \"" + id + "\"");
            assertTrue(msg.startsWith("p.json: id '"), msg);
        }
        assertEquals("p.json: modality 'te/xt': a modality name is 1 to 100 letters, digits, '.', '_' or '-', not "
                + "starting with '.'", error("{\"text\": \"minilm\"}", "{\"te/xt\": \"minilm\"}"));
    }

    @Test
    void aControlCharacterInAFieldStaysOnOneLine() throws IOException {
        String msg = error("\"id\": \"p\"", "\"id\": \"a\\nb\"");
        assertTrue(msg.contains("a\\u000ab"), msg);
    }
}
