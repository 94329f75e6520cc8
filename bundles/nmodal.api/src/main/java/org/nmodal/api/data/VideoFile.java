package org.nmodal.api.data;

import java.nio.file.Path;
import java.util.Objects;

/** A video file of a post. */
public record VideoFile(Path path) implements ModalityInput {
    /** @throws NullPointerException if {@code path} is null */
    public VideoFile {
        Objects.requireNonNull(path, "path");
    }

    @Override
    public String describe() {
        return path.toString();
    }
}
