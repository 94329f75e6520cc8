package org.nmodal.classify.internal;

import org.nmodal.api.data.Standardizer;
import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.nmodal.api.classify.TrainedClassifier;

/**
 * A LIBLINEAR model on standardised features. Logistic regression gives LIBLINEAR's probabilities; a linear SVM
 * has none, so its decision values go through a softmax (a ranking score, not a calibrated probability).
 */
final class LiblinearModel implements TrainedClassifier {
    private static final Object TRAINING = new Object(); // LIBLINEAR seeds one static Random

    private final Model model;
    private final Standardizer standardizer;
    private final int classes;
    private final int[] labelIndex; // our class of each LIBLINEAR output position

    private LiblinearModel(Model model, Standardizer standardizer, int classes) {
        this.model = model;
        this.standardizer = standardizer;
        this.classes = classes;
        int[] labels = model.getLabels();
        labelIndex = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            labelIndex[i] = labels[i];
        }
    }

    /** Costs tried when C is chosen by cross-validation. */
    static final double[] GRID = {0.01, 0.03, 0.1, 0.3, 1, 3};

    /**
     * Trains with a fixed cost {@code c > 0}, or, for {@code c <= 0}, with the cost of {@link #GRID} that scores best
     * in a seeded 3-fold cross-validation on the training rows (ties go to the smaller cost), refitted on all rows.
     */
    static LiblinearModel train(float[][] x, int[] y, int classes, SolverType solver, double c, long seed) {
        return c > 0 ? train(x, y, classes, solver, c) : train(x, y, classes, solver, chooseCost(x, y, classes, solver, seed));
    }

    static double chooseCost(float[][] x, int[] y, int classes, SolverType solver, long seed) {
        int folds = Math.min(3, x.length);
        if (folds < 2) {
            return 1;
        }
        int[] order = new int[x.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Random r = new java.util.Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double bestCost = 1;
        double bestScore = -1;
        for (double cost : GRID) {
            int correct = 0;
            for (int f = 0; f < folds; f++) {
                java.util.List<Integer> trainIdx = new java.util.ArrayList<>();
                java.util.List<Integer> testIdx = new java.util.ArrayList<>();
                for (int k = 0; k < order.length; k++) {
                    (k % folds == f ? testIdx : trainIdx).add(order[k]);
                }
                float[][] xt = new float[trainIdx.size()][];
                int[] yt = new int[trainIdx.size()];
                for (int k = 0; k < xt.length; k++) {
                    xt[k] = x[trainIdx.get(k)];
                    yt[k] = y[trainIdx.get(k)];
                }
                LiblinearModel m = train(xt, yt, classes, solver, cost);
                for (int i : testIdx) {
                    correct += m.predict(x[i]) == y[i] ? 1 : 0;
                }
            }
            double score = correct / (double) x.length;
            if (score > bestScore + 1e-12) {
                bestScore = score;
                bestCost = cost;
            }
        }
        return bestCost;
    }

    static LiblinearModel train(float[][] x, int[] y, int classes, SolverType solver, double c) {
        Checks.check(x, y, classes);
        Standardizer st = Standardizer.fit(x);
        Problem p = new Problem();
        p.l = x.length;
        p.n = x[0].length + 1;
        p.bias = 1;
        p.x = new Feature[x.length][];
        p.y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p.x[i] = features(st.apply(x[i]));
            p.y[i] = y[i];
        }
        synchronized (TRAINING) {
            Linear.disableDebugOutput();
            Linear.resetRandom();
            return new LiblinearModel(Linear.train(p, new Parameter(solver, c, 0.01)), st, classes);
        }
    }

    private static Feature[] features(float[] row) {
        Feature[] f = new Feature[row.length + 1];
        for (int j = 0; j < row.length; j++) {
            f[j] = new FeatureNode(j + 1, row[j]);
        }
        f[row.length] = new FeatureNode(row.length + 1, 1.0);
        return f;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public double[] probabilities(float[] x) {
        Feature[] f = features(standardizer.apply(x));
        double[] p = new double[classes];
        int k = model.getNrClass();
        if (model.isProbabilityModel()) {
            double[] raw = new double[k];
            Linear.predictProbability(model, f, raw);
            for (int i = 0; i < k; i++) {
                p[labelIndex[i]] = raw[i];
            }
            return p;
        }
        double[] dec = new double[k == 2 ? 1 : k];
        Linear.predictValues(model, f, dec);
        double[] scores = new double[classes];
        java.util.Arrays.fill(scores, Double.NEGATIVE_INFINITY);
        if (k == 2) {
            scores[labelIndex[0]] = dec[0];
            scores[labelIndex[1]] = -dec[0];
        } else {
            for (int i = 0; i < k; i++) {
                scores[labelIndex[i]] = dec[i];
            }
        }
        if (k == 1) {
            scores[labelIndex[0]] = 0;
        }
        return Checks.softmax(scores);
    }

    @Override
    public void save(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(classes);
        standardizer.write(data);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(text, StandardCharsets.UTF_8)) {
            model.save(w);
        }
        data.writeInt(text.size());
        text.writeTo(data);
        data.flush();
    }

    static LiblinearModel load(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int classes = data.readInt();
        Standardizer st = Standardizer.read(data);
        byte[] text = new byte[data.readInt()];
        data.readFully(text);
        Model m = Model.load(new InputStreamReader(new java.io.ByteArrayInputStream(text), StandardCharsets.UTF_8));
        return new LiblinearModel(m, st, classes);
    }
}
