package org.nmodal.serving.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.classify.TrainedClassifier;
import org.nmodal.api.fusion.Fusion;
import org.nmodal.api.fusion.FusionStrategy;

/** Small parts written for the tests, so serving is tested without the fusion and classifier bundles. */
final class TestParts {
    private TestParts() {}

    /** The embeddings side by side. */
    static final FusionStrategy CONCAT = new FusionStrategy() {
        @Override
        public String name() {
            return "concat";
        }

        @Override
        public Fusion create(List<String> modalities, int dimension, Map<String, ?> settings, NDManager manager) {
            return new Fusion() {
                @Override
                public int outputDimension() {
                    return dimension * modalities.size();
                }

                @Override
                public NDArray fuse(ModalityBatch batch) {
                    NDArray out = null;
                    for (String m : modalities) {
                        out = out == null ? batch.embeddings(m) : out.concat(batch.embeddings(m), 1);
                    }
                    return out;
                }

                @Override
                public List<NDArray> parameters() {
                    return List.of();
                }
            };
        }
    };

    /** Softmax over negative squared distances to the class means. */
    static final DownstreamClassifier CENTROIDS = new DownstreamClassifier() {
        @Override
        public String name() {
            return "centroids";
        }

        @Override
        public TrainedClassifier train(float[][] x, int[] y, int classes, long seed) {
            float[][] mean = new float[classes][x[0].length];
            int[] count = new int[classes];
            for (int i = 0; i < x.length; i++) {
                count[y[i]]++;
                for (int j = 0; j < x[i].length; j++) {
                    mean[y[i]][j] += x[i][j];
                }
            }
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j < mean[c].length; j++) {
                    mean[c][j] /= Math.max(1, count[c]);
                }
            }
            return model(mean);
        }

        @Override
        public TrainedClassifier load(InputStream in) throws IOException {
            DataInputStream d = new DataInputStream(in);
            float[][] mean = new float[d.readInt()][d.readInt()];
            for (float[] row : mean) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = d.readFloat();
                }
            }
            return model(mean);
        }

        private TrainedClassifier model(float[][] mean) {
            return new TrainedClassifier() {
                @Override
                public int classes() {
                    return mean.length;
                }

                @Override
                public double[] probabilities(float[] x) {
                    double[] p = new double[mean.length];
                    double sum = 0;
                    for (int c = 0; c < mean.length; c++) {
                        double d = 0;
                        for (int j = 0; j < x.length; j++) {
                            d += (x[j] - mean[c][j]) * (x[j] - mean[c][j]);
                        }
                        p[c] = Math.exp(-d / x.length);
                        sum += p[c];
                    }
                    for (int c = 0; c < p.length; c++) {
                        p[c] /= sum;
                    }
                    return p;
                }

                @Override
                public void save(OutputStream out) throws IOException {
                    DataOutputStream d = new DataOutputStream(out);
                    d.writeInt(mean.length);
                    d.writeInt(mean[0].length);
                    for (float[] row : mean) {
                        for (float v : row) {
                            d.writeFloat(v);
                        }
                    }
                    d.flush();
                }
            };
        }
    };
}
