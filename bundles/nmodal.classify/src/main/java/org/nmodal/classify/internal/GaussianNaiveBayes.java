package org.nmodal.classify.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.component.NModalClassifier;
import org.nmodal.api.classify.TrainedClassifier;
import org.osgi.service.component.annotations.Component;

/**
 * Gaussian Naive Bayes: one normal per class and feature, class priors from the training counts, and a variance
 * floor of 1e-9 times the largest feature variance (as scikit-learn does) so constant features do no harm.
 * Written here because the Apache-licensed JVM libraries lack it; it is small and fully tested.
 */
@Component
@NModalClassifier(name = "gaussian-nb", licence = "Apache-2.0", description = "Gaussian Naive Bayes")
public final class GaussianNaiveBayes implements DownstreamClassifier {
    private static final int MAGIC = 0x4e4d4e42; // "NMNB"

    @Override
    public String name() {
        return "gaussian-nb";
    }

    @Override
    public TrainedClassifier train(float[][] x, int[] y, int classes, long seed) {
        Checks.check(x, y, classes);
        int d = x[0].length;
        double[][] mean = new double[classes][d];
        double[][] var = new double[classes][d];
        int[] count = new int[classes];
        for (int i = 0; i < x.length; i++) {
            count[y[i]]++;
            for (int j = 0; j < d; j++) {
                mean[y[i]][j] += x[i][j];
            }
        }
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < d && count[k] > 0; j++) {
                mean[k][j] /= count[k];
            }
        }
        double maxVar = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < d; j++) {
                double dev = x[i][j] - mean[y[i]][j];
                var[y[i]][j] += dev * dev;
            }
        }
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < d && count[k] > 0; j++) {
                var[k][j] /= count[k];
                maxVar = Math.max(maxVar, var[k][j]);
            }
        }
        double floor = Math.max(1e-9 * maxVar, 1e-12);
        double[] logPrior = new double[classes];
        for (int k = 0; k < classes; k++) {
            logPrior[k] = count[k] == 0 ? Double.NEGATIVE_INFINITY : Math.log(count[k] / (double) x.length);
            for (int j = 0; j < d; j++) {
                var[k][j] += floor;
            }
        }
        return new Model(mean, var, logPrior);
    }

    @Override
    public TrainedClassifier load(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != MAGIC) {
            throw new IOException("not a gaussian-nb model");
        }
        int classes = data.readInt();
        int d = data.readInt();
        double[][] mean = new double[classes][d];
        double[][] var = new double[classes][d];
        double[] logPrior = new double[classes];
        for (int k = 0; k < classes; k++) {
            logPrior[k] = data.readDouble();
            for (int j = 0; j < d; j++) {
                mean[k][j] = data.readDouble();
                var[k][j] = data.readDouble();
            }
        }
        return new Model(mean, var, logPrior);
    }

    private record Model(double[][] mean, double[][] var, double[] logPrior) implements TrainedClassifier {
        @Override
        public int classes() {
            return logPrior.length;
        }

        @Override
        public double[] probabilities(float[] x) {
            double[] score = new double[logPrior.length];
            for (int k = 0; k < score.length; k++) {
                double s = logPrior[k];
                for (int j = 0; j < x.length && Double.isFinite(s); j++) {
                    double dev = x[j] - mean[k][j];
                    s -= 0.5 * (Math.log(2 * Math.PI * var[k][j]) + dev * dev / var[k][j]);
                }
                score[k] = s;
            }
            return Checks.softmax(score);
        }

        @Override
        public void save(OutputStream out) throws IOException {
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(MAGIC);
            data.writeInt(logPrior.length);
            data.writeInt(mean[0].length);
            for (int k = 0; k < logPrior.length; k++) {
                data.writeDouble(logPrior[k]);
                for (int j = 0; j < mean[0].length; j++) {
                    data.writeDouble(mean[k][j]);
                    data.writeDouble(var[k][j]);
                }
            }
            data.flush();
        }
    }
}
