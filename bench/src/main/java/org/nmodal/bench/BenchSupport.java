package org.nmodal.bench;

/** Statistics shared by the benchmarks outside this package. */
public final class BenchSupport {
    private BenchSupport() {}

    /** The median. */
    public static double median(double[] v) {
        return Bench.median(v);
    }

    /** Two decimals. */
    public static String f(double v) {
        return Bench.f(v);
    }
}
