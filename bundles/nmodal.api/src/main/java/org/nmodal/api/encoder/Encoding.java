package org.nmodal.api.encoder;

/**
 * The result of encoding one input: a vector, or an error message that names what was wrong.
 *
 * @param vector the features, or {@code null} on failure
 * @param error one line saying what went wrong, or {@code null} on success
 */
public record Encoding(float[] vector, String error) {
    /** A successful encoding. */
    public static Encoding of(float[] vector) {
        return new Encoding(vector, null);
    }

    /** A failed encoding with a one-line reason. */
    public static Encoding failed(String error) {
        return new Encoding(null, error == null ? "unknown error" : error);
    }

    /** Whether a vector was produced. */
    public boolean ok() {
        return vector != null;
    }
}
