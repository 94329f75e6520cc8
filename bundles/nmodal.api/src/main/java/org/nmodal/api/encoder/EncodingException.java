package org.nmodal.api.encoder;

/** An input could not be encoded; the message names the input and the reason. */
public class EncodingException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the input and the reason */
    public EncodingException(String message) {
        super(message);
    }

    /** @param message one line naming the input and the reason
     *  @param cause the underlying failure */
    public EncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
