package org.nmodal.api.data;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Z-scores vectors with a training set's per-dimension mean and spread; a constant dimension becomes 0. A trained
 * model keeps it to scale new inputs exactly as its training inputs were. Rows may be missing ({@code null}): they
 * are skipped when fitting and stay missing when applied.
 */
public final class Standardizer {
    private final float[] mean;
    private final float[] scale;

    /**
     * A standardizer with known values.
     *
     * @param mean per-dimension mean
     * @param scale per-dimension 1/sd, 0 for a constant dimension
     */
    public Standardizer(float[] mean, float[] scale) {
        if (mean.length != scale.length) {
            throw new IllegalArgumentException("mean has " + mean.length + " values, scale " + scale.length);
        }
        this.mean = mean.clone();
        this.scale = scale.clone();
    }

    /** Learns from every row. */
    public static Standardizer fit(float[][] x) {
        return fit(x, null);
    }

    /**
     * Learns from the given rows that have a vector (all rows when {@code rows} is null).
     *
     * @throws IllegalArgumentException when no row has a vector
     */
    public static Standardizer fit(float[][] x, int[] rows) {
        int d = -1;
        for (float[] r : x) {
            if (r != null) {
                d = r.length;
                break;
            }
        }
        if (d < 0) {
            throw new IllegalArgumentException("no vectors to learn a standardizer from");
        }
        double[] m = new double[d];
        double[] sq = new double[d];
        int n = 0;
        int count = rows == null ? x.length : rows.length;
        for (int k = 0; k < count; k++) {
            float[] row = x[rows == null ? k : rows[k]];
            if (row != null) {
                n++;
                for (int j = 0; j < d; j++) {
                    m[j] += row[j];
                }
            }
        }
        for (int j = 0; j < d && n > 0; j++) {
            m[j] /= n;
        }
        for (int k = 0; k < count; k++) {
            float[] row = x[rows == null ? k : rows[k]];
            if (row != null) {
                for (int j = 0; j < d; j++) {
                    sq[j] += (row[j] - m[j]) * (row[j] - m[j]);
                }
            }
        }
        float[] mean = new float[d];
        float[] scale = new float[d];
        for (int j = 0; j < d; j++) {
            double sd = n > 1 ? Math.sqrt(sq[j] / n) : 0;
            mean[j] = (float) m[j];
            scale[j] = sd > 1e-8 ? (float) (1 / sd) : 0f;
        }
        return new Standardizer(mean, scale);
    }

    /** The number of dimensions. */
    public int dimension() {
        return mean.length;
    }

    /** A copy of the per-dimension means. */
    public float[] mean() {
        return mean.clone();
    }

    /** A copy of the per-dimension scales (1/sd, 0 for constant dimensions). */
    public float[] scale() {
        return scale.clone();
    }

    /** One vector standardised; null stays null. */
    public float[] apply(float[] x) {
        if (x == null) {
            return null;
        }
        if (x.length != mean.length) {
            throw new IllegalArgumentException("vector of " + x.length + " values, expected " + mean.length);
        }
        float[] out = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            out[j] = (x[j] - mean[j]) * scale[j];
        }
        return out;
    }

    /** Every row standardised; missing rows stay missing. */
    public float[][] apply(float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = apply(x[i]);
        }
        return out;
    }

    /** Writes the dimension, then mean and scale per dimension. */
    public void write(DataOutput out) throws IOException {
        out.writeInt(mean.length);
        for (int j = 0; j < mean.length; j++) {
            out.writeFloat(mean[j]);
            out.writeFloat(scale[j]);
        }
    }

    /** Reads what {@link #write} wrote. */
    public static Standardizer read(DataInput in) throws IOException {
        int d = in.readInt();
        float[] mean = new float[d];
        float[] scale = new float[d];
        for (int j = 0; j < d; j++) {
            mean[j] = in.readFloat();
            scale[j] = in.readFloat();
        }
        return new Standardizer(mean, scale);
    }
}
