package org.nmodal.training;

/** Per-modality vectors with missing rows ({@code null}), as the pipeline keeps them. */
public final class Rows {
    private Rows() {}

    /** Length of the first present row, or -1 when every row is missing. */
    public static int width(float[][] x) {
        for (float[] r : x) {
            if (r != null) {
                return r.length;
            }
        }
        return -1;
    }
}
