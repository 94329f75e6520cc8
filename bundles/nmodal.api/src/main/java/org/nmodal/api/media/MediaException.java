package org.nmodal.api.media;

import java.nio.file.Path;

/** A media file could not be decoded or breaks a limit; the message starts with the file. */
public class MediaException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    /**
     * @param file the file at fault
     * @param reason what is wrong with it
     */
    public MediaException(Path file, String reason) {
        super(file + ": " + reason);
        this.file = file;
    }

    /**
     * @param file the file at fault
     * @param reason what is wrong with it
     * @param cause the underlying failure
     */
    public MediaException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    /** The file at fault. */
    public Path file() {
        return file;
    }
}
