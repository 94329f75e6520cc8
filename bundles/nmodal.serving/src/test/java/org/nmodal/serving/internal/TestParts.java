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
import org.nmodal.api.fusion.FusionTask;
import org.nmodal.api.fusion.FusionTraining;
import org.nmodal.api.fusion.SupervisedFusion;
import org.nmodal.api.fusion.SupervisedFusionStrategy;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

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

    /**
     * A supervised fusion as small as they get: logistic regression over the modalities side by side, each masked by
     * its presence; without labels it is {@link #CONCAT}.
     */
    static final SupervisedFusionStrategy LINEAR = new SupervisedFusionStrategy() {
        @Override
        public String name() {
            return "linear";
        }

        @Override
        public Fusion create(List<String> modalities, int dimension, Map<String, ?> settings, NDManager manager) {
            return CONCAT.create(modalities, dimension, settings, manager);
        }

        @Override
        public SupervisedFusion createSupervised(FusionTask task, Map<String, ?> settings, NDManager manager) {
            int in = task.modalities().stream().mapToInt(m -> task.dimensions().get(m)).sum();
            java.util.Random r = new java.util.Random(task.seed());
            float[] w0 = new float[in * task.classes()];
            for (int i = 0; i < w0.length; i++) {
                w0[i] = (float) (r.nextGaussian() * 0.01);
            }
            NDArray w = manager.create(w0, new Shape(in, task.classes()));
            NDArray b = manager.zeros(new Shape(task.classes()));
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            return new SupervisedFusion() {
                @Override
                public NDArray logits(ModalityBatch batch, boolean training) {
                    return fuse(batch).matMul(w).add(b);
                }

                @Override
                public FusionTraining training() {
                    return new FusionTraining(200, 32, 0.05, 0.0, 5, 0.2);
                }

                @Override
                public int outputDimension() {
                    return in;
                }

                @Override
                public NDArray fuse(ModalityBatch batch) {
                    NDList parts = new NDList();
                    task.modalities().forEach(m -> parts.add(batch.embeddings(m).mul(batch.presence(m).reshape(-1, 1))));
                    return NDArrays.concat(parts, 1);
                }

                @Override
                public List<NDArray> parameters() {
                    return List.of(w, b);
                }
            };
        }
    };
}
