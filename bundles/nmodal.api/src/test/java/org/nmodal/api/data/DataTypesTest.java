package org.nmodal.api.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nmodal.api.encoder.Encoding;

class DataTypesTest {
    @Test
    void splitsParseLeniently() {
        assertEquals(Split.TRAIN, Split.parse(" Train "));
        assertEquals(Split.DEV, Split.parse("validation"));
        assertEquals(Split.UNLABELLED, Split.parse(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Split.parse("holdout"));
        assertTrue(e.getMessage().contains("'holdout'"), e.getMessage());
    }

    @Test
    void postsCopyTheirMapsAndTreatMissingModalitiesAsAbsent() {
        Map<String, ModalityInput> inputs = new HashMap<>();
        inputs.put("text", new TextInput("hello"));
        List<String> tags = new ArrayList<>(List.of("a"));
        Post post = new Post("p1", inputs, new PostMetadata(tags, null, null, null, "acct", null), null, null);
        inputs.put("image", new ImageFile(Path.of("x.png")));
        tags.add("b");
        assertFalse(post.input("image").isPresent(), "later changes to the caller's map must not leak in");
        assertEquals(List.of("a"), post.metadata().hashtags());
        assertEquals(Split.UNLABELLED, post.split());
        assertTrue(post.label("stance").isEmpty());
        assertThrows(UnsupportedOperationException.class, () -> post.inputs().put("audio", null));
    }

    @Test
    void longTextsAreShortenedInErrorLines() {
        assertEquals("\"short\"", new TextInput("short").describe());
        String d = new TextInput("x".repeat(100)).describe();
        assertEquals(42, d.length());
        assertTrue(d.endsWith("...\""));
    }

    @Test
    void encodingsAreEitherVectorsOrErrors() {
        assertTrue(Encoding.of(new float[] {1}).ok());
        Encoding failed = Encoding.failed(null);
        assertFalse(failed.ok());
        assertEquals("unknown error", failed.error());
    }
}
