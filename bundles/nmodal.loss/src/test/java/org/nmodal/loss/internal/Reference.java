package org.nmodal.loss.internal;

/** Plain-Java, loop-by-loop versions of the loss formulas (DESIGN section 5), to check the tensor code against. */
final class Reference {
    private Reference() {}

    /** Per-post soft-target contrastive loss; e[m][i][d], present[i][m]. */
    static double[] softClip(double[][][] e, boolean[][] present, double tau) {
        return pairwise(e, present, (a, b, s) -> {
            int n = a.length;
            double[][] z = new double[n][n];
            double[][] t = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    z[i][j] = dot(a[i], b[j]) / tau;
                    t[i][j] = tau * (dot(a[i], a[j]) + dot(b[i], b[j])) / 2;
                }
            }
            double[][] targets = softmaxRows(t, s);
            double[] out = new double[n];
            double[][] zt = transpose(z);
            double[][] tt = transpose(targets);
            for (int i = 0; i < n; i++) {
                out[i] = ce(z[i], targets[i], s) + ce(zt[i], tt[i], s);
            }
            return out;
        });
    }

    /** Per-post hard-target InfoNCE with a fixed scale. */
    static double[] infoNce(double[][][] e, boolean[][] present, double scale) {
        return pairwise(e, present, (a, b, s) -> {
            int n = a.length;
            double[][] z = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    z[i][j] = scale * dot(unit(a[i]), unit(b[j]));
                }
            }
            double[][] zt = transpose(z);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double[] onehot = new double[n];
                onehot[i] = 1;
                out[i] = ce(z[i], onehot, s) + ce(zt[i], onehot, s);
            }
            return out;
        });
    }

    /**
     * Per-post MAMA angular-margin loss with a fixed scale: {@code θ = arccos(clamp(u·v))}, the positive's angle less
     * the margin, logits {@code scale cos θ'}.
     */
    static double[] mama(double[][][] e, boolean[][] present, double scale, double margin) {
        double clamp = 1 - 1e-6;
        return pairwise(e, present, (a, b, s) -> {
            int n = a.length;
            double[][] z = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double c = Math.max(-clamp, Math.min(clamp, dot(unit(a[i]), unit(b[j]))));
                    double theta = Math.acos(c);
                    z[i][j] = scale * Math.cos(i == j ? theta - margin : theta);
                }
            }
            double[][] zt = transpose(z);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double[] onehot = new double[n];
                onehot[i] = 1;
                out[i] = ce(z[i], onehot, s) + ce(zt[i], onehot, s);
            }
            return out;
        });
    }

    /** Per-post N-modal triplet loss. */
    static double[] triplet(double[][][] e, boolean[][] present, double alpha, boolean hardest) {
        int n = e[0].length;
        int m = e.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < m; a++) {
                for (int p = 0; p < m; p++) {
                    for (int q = 0; q < m; q++) {
                        if (!present[i][a] || !present[i][p]) {
                            continue;
                        }
                        double neg;
                        if (hardest) {
                            neg = Double.POSITIVE_INFINITY;
                            for (int j = 0; j < n; j++) {
                                if (j != i && present[j][q]) {
                                    neg = Math.min(neg, dist(e[a][i], e[q][j]));
                                }
                            }
                            if (Double.isInfinite(neg)) {
                                continue;
                            }
                        } else {
                            int j = (i + 1) % n;
                            if (!present[j][q]) {
                                continue;
                            }
                            neg = dist(e[a][i], e[q][j]);
                        }
                        out[i] += alpha * Math.log1p(Math.exp(dist(e[a][i], e[p][i]) - neg));
                    }
                }
            }
        }
        return out;
    }

    interface PairFn {
        double[] terms(double[][] a, double[][] b, boolean[] both);
    }

    private static double[] pairwise(double[][][] e, boolean[][] present, PairFn fn) {
        int n = e[0].length;
        double[] total = new double[n];
        int pairs = 0;
        for (int x = 0; x < e.length; x++) {
            for (int y = x + 1; y < e.length; y++) {
                boolean[] both = new boolean[n];
                int count = 0;
                for (int i = 0; i < n; i++) {
                    both[i] = present[i][x] && present[i][y];
                    count += both[i] ? 1 : 0;
                }
                if (count < 2) {
                    continue;
                }
                double[] t = fn.terms(e[x], e[y], both);
                for (int i = 0; i < n; i++) {
                    if (both[i]) {
                        total[i] += t[i] * n / count;
                    }
                }
                pairs++;
            }
        }
        for (int i = 0; i < n && pairs > 0; i++) {
            total[i] /= 2.0 * pairs;
        }
        return total;
    }

    private static double[][] softmaxRows(double[][] x, boolean[] keep) {
        double[][] out = new double[x.length][x.length];
        for (int i = 0; i < x.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < x.length; j++) {
                if (keep[j]) {
                    max = Math.max(max, x[i][j]);
                }
            }
            double sum = 0;
            for (int j = 0; j < x.length; j++) {
                out[i][j] = keep[j] ? Math.exp(x[i][j] - max) : 0;
                sum += out[i][j];
            }
            for (int j = 0; j < x.length; j++) {
                out[i][j] /= sum;
            }
        }
        return out;
    }

    /** Cross-entropy of one row of logits against targets, over the kept columns only. */
    private static double ce(double[] logits, double[] targets, boolean[] keep) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < logits.length; j++) {
            if (keep[j]) {
                max = Math.max(max, logits[j]);
            }
        }
        double sum = 0;
        for (int j = 0; j < logits.length; j++) {
            if (keep[j]) {
                sum += Math.exp(logits[j] - max);
            }
        }
        double logZ = max + Math.log(sum);
        double loss = 0;
        for (int j = 0; j < logits.length; j++) {
            if (keep[j]) {
                loss -= targets[j] * (logits[j] - logZ);
            }
        }
        return loss;
    }

    private static double[][] transpose(double[][] x) {
        double[][] t = new double[x[0].length][x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                t[j][i] = x[i][j];
            }
        }
        return t;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] unit(double[] a) {
        double n = Math.sqrt(dot(a, a));
        double[] u = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            u[i] = a[i] / n;
        }
        return u;
    }

    private static double dist(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }
}
