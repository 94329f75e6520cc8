package org.example.nmodal.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.nmodal.api.component.NModalClassifier;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.classify.TrainedClassifier;
import org.osgi.service.component.annotations.Component;

/**
 * A classifier ({@code nearest-centroid}): one mean vector per class; class probabilities are a softmax over minus
 * the squared distances, scaled by the mean squared distance of the training vectors to their centroid.
 */
@Component
@NModalClassifier(name = "nearest-centroid", licence = "Apache-2.0", description = "Nearest class mean (example extension)")
public final class NearestCentroidClassifier implements DownstreamClassifier {
    @Override
    public String name() {
        return "nearest-centroid";
    }

    @Override
    public TrainedClassifier train(float[][] features, int[] labels, int classes, long seed) {
        int d = features.length == 0 ? 0 : features[0].length;
        double[][] sum = new double[classes][d];
        int[] count = new int[classes];
        for (int i = 0; i < features.length; i++) {
            count[labels[i]]++;
            for (int j = 0; j < d; j++) {
                sum[labels[i]][j] += features[i][j];
            }
        }
        float[][] centroids = new float[classes][d];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < d; j++) {
                centroids[c][j] = count[c] == 0 ? Float.NaN : (float) (sum[c][j] / count[c]);
            }
        }
        double spread = 0;
        for (int i = 0; i < features.length; i++) {
            spread += distance(features[i], centroids[labels[i]]);
        }
        return new Model(centroids, (float) Math.max(1e-6, spread / Math.max(1, features.length)));
    }

    @Override
    public TrainedClassifier load(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int classes = data.readInt();
        int d = data.readInt();
        float[][] centroids = new float[classes][d];
        for (float[] c : centroids) {
            for (int j = 0; j < d; j++) {
                c[j] = data.readFloat();
            }
        }
        return new Model(centroids, data.readFloat());
    }

    static double distance(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return s;
    }

    /** Centroids (NaN for a class never seen) and the distance scale. */
    private record Model(float[][] centroids, float scale) implements TrainedClassifier {
        @Override
        public int classes() {
            return centroids.length;
        }

        @Override
        public double[] probabilities(float[] features) {
            double[] logit = new double[centroids.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < logit.length; c++) {
                logit[c] = Float.isNaN(centroids[c][0]) ? Double.NEGATIVE_INFINITY
                        : -distance(features, centroids[c]) / scale;
                max = Math.max(max, logit[c]);
            }
            double total = 0;
            double[] p = new double[logit.length];
            for (int c = 0; c < p.length; c++) {
                p[c] = Math.exp(logit[c] - max);
                total += p[c];
            }
            for (int c = 0; c < p.length; c++) {
                p[c] /= total;
            }
            return p;
        }

        @Override
        public void save(OutputStream out) throws IOException {
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(centroids.length);
            data.writeInt(centroids.length == 0 ? 0 : centroids[0].length);
            for (float[] c : centroids) {
                for (float v : c) {
                    data.writeFloat(v);
                }
            }
            data.writeFloat(scale);
            data.flush();
        }
    }
}
