package org.nmodal.api.data;

import java.nio.file.Path;
import java.util.Objects;

/** An audio file of a post, or a video whose sound track is used. */
public record AudioFile(Path path) implements ModalityInput {
    /** @throws NullPointerException if {@code path} is null */
    public AudioFile {
        Objects.requireNonNull(path, "path");
    }

    @Override
    public String describe() {
        return path.toString();
    }
}
