package org.nmodal.api.data;

import java.nio.file.Path;
import java.util.Objects;

/** An image file of a post. */
public record ImageFile(Path path) implements ModalityInput {
    /** @throws NullPointerException if {@code path} is null */
    public ImageFile {
        Objects.requireNonNull(path, "path");
    }

    @Override
    public String describe() {
        return path.toString();
    }
}
