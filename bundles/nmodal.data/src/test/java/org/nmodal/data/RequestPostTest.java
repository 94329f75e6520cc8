package org.nmodal.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.InvalidInputException;

/** A type-confused request post is a 400 naming the field, never a 500 or an answer from nothing. */
class RequestPostTest {
    @TempDir
    Path dir;

    private String error(String json) throws Exception {
        Files.createDirectories(dir.resolve("d"));
        return assertThrows(InvalidInputException.class, () -> RequestPost.read(json, dir.resolve("d")).close())
                .getMessage();
    }

    @Test
    void typeConfusedFieldsAreNamed() throws Exception {
        assertEquals("text: must be a string, got 5", error("{\"text\": 5}"));
        assertEquals("text: must be a string, got [\"a\",\"b\"]", error("{\"text\": [\"a\", \"b\"]}"));
        assertEquals("image: must be a path (a string), got 5", error("{\"image\": 5}"));
        assertEquals("labels: must be an object task -> label, got \"x\"", error("{\"text\": \"a\", \"labels\": \"x\"}"));
        assertEquals("meta: must be an object, got []", error("{\"text\": \"a\", \"meta\": []}"));
        assertEquals("id: must be a string, got {}", error("{\"id\": {}, \"text\": \"a\"}"));
    }

    @Test
    void anUploadNamedLikeAFolderIsRefused() throws Exception {
        assertEquals("image.name: \"/\" is not a file name (give the file's own name with its extension, e.g. "
                + "clip.mp4)", error("{\"image\": {\"base64\": \"aGVsbG8=\", \"name\": \"/\"}}"));
        assertEquals("video.name: \"a/..\" is not a file name (give the file's own name with its extension, e.g. "
                + "clip.mp4)", error("{\"video\": {\"base64\": \"aGVsbG8=\", \"name\": \"a/..\"}}"));
        assertEquals("audio.name: must be a file name (a string), got {}",
                error("{\"audio\": {\"base64\": \"aGVsbG8=\", \"name\": {}}}"));
    }
}
