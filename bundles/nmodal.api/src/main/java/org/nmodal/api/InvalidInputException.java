package org.nmodal.api;

/**
 * A user-supplied file or argument is invalid (an unknown name in a pipeline file, a missing field). The message
 * is one line that says what and where; {@code runtime/nmodal exec} exits with status 2 for it.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the field or argument, the problem and the valid choices */
    public InvalidInputException(String message) {
        super(message);
    }
}
