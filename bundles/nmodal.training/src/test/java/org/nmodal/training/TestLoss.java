package org.nmodal.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.loss.LossFunction;

/**
 * A plain N-modal InfoNCE with a fixed temperature, written here so that the trainer is tested alone (the real
 * losses live in nmodal.loss and are tested there against loop-by-loop references).
 */
final class TestLoss {
    private TestLoss() {}

    static HeadTrainer.LossFactory infoNce(double temperature) {
        return manager -> new LossFunction() {
            @Override
            public NDArray perSample(ModalityBatch batch) {
                NDManager m = batch.presence().getManager();
                List<String> ms = batch.modalities();
                NDArray total = m.zeros(new ai.djl.ndarray.types.Shape(batch.size()));
                NDArray eye = m.eye((int) batch.size());
                for (int i = 0; i < ms.size(); i++) {
                    for (int j = i + 1; j < ms.size(); j++) {
                        NDArray a = unit(batch.embeddings(ms.get(i)));
                        NDArray b = unit(batch.embeddings(ms.get(j)));
                        NDArray logits = a.matMul(b.transpose()).mul(m.create((float) (1 / temperature)));
                        NDArray rows = eye.mul(logits.logSoftmax(1)).sum(new int[] {1}).neg();
                        NDArray cols = eye.mul(logits.transpose().logSoftmax(1)).sum(new int[] {1}).neg();
                        NDArray both = batch.presence(ms.get(i)).mul(batch.presence(ms.get(j)));
                        total = total.add(rows.add(cols).mul(both));
                    }
                }
                return total;
            }

            @Override
            public List<NDArray> parameters() {
                return List.of();
            }
        };
    }

    private static NDArray unit(NDArray x) {
        return x.div(x.norm(new int[] {1}, true).clip(1e-8f, Float.MAX_VALUE));
    }

    /** Share of the rows whose query vector finds its own target among the 10 nearest targets, by cosine. */
    static double recallAt10(float[][] query, float[][] target, int[] rows) {
        int hits = 0;
        for (int a : rows) {
            double own = cosine(query[a], target[a]);
            int rank = 0;
            for (int b : rows) {
                if (b != a && cosine(query[a], target[b]) > own) {
                    rank++;
                }
            }
            hits += rank < 10 ? 1 : 0;
        }
        return hits / (double) rows.length;
    }

    private static double cosine(float[] x, float[] y) {
        double d = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < x.length; i++) {
            d += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }
        return d / Math.sqrt(nx * ny + 1e-24);
    }
}
