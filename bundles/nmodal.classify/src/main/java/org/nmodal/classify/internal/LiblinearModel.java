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

    static {
        Linear.disableDebugOutput();
    }

    /**
     * Trains with a fixed cost {@code c > 0}, or, for {@code c <= 0}, with the cost of {@link #GRID} that scores best
     * in a seeded 3-fold cross-validation on the training rows (ties go to the smaller cost), refitted on all rows.
     * The rows are standardised and converted once; inside the search each fold's fits go up the grid warm-started
     * from the previous cost's weights (primal solvers). LIBLINEAR 2.44 keeps its random state per
     * {@link Parameter}, so fits run in parallel without a lock and stay repeatable.
     */
    static LiblinearModel train(float[][] x, int[] y, int classes, SolverType solver, double c, long seed) {
        Checks.check(x, y, classes);
        Standardizer st = Standardizer.fit(x);
        Feature[][] rows = new Feature[x.length][];
        for (int i = 0; i < x.length; i++) {
            rows[i] = features(st.apply(x[i]));
        }
        int width = x[0].length + 1;
        double cost = c > 0 ? c : chooseCost(rows, width, y, solver, seed);
        return new LiblinearModel(fit(rows, width, y, solver, cost, null), st, classes);
    }

    /** The cost {@link #train} would choose for these rows (standardised as the fit does). */
    static double chooseCost(float[][] x, int[] y, int classes, SolverType solver, long seed) {
        Checks.check(x, y, classes);
        Standardizer st = Standardizer.fit(x);
        Feature[][] rows = new Feature[x.length][];
        for (int i = 0; i < x.length; i++) {
            rows[i] = features(st.apply(x[i]));
        }
        return chooseCost(rows, x[0].length + 1, y, solver, seed);
    }

    private static double chooseCost(Feature[][] rows, int width, int[] y, SolverType solver, long seed) {
        int folds = Math.min(3, rows.length);
        if (folds < 2) {
            return 1;
        }
        int[] order = new int[rows.length];
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
        boolean warm = solver == SolverType.L2R_LR || solver == SolverType.L2R_L2LOSS_SVC;
        int[] correct = new int[GRID.length];
        for (int f = 0; f < folds; f++) {
            int held = 0;
            for (int k = 0; k < order.length; k++) {
                held += k % folds == f ? 1 : 0;
            }
            Feature[][] xt = new Feature[order.length - held][];
            int[] yt = new int[xt.length];
            int[] test = new int[held];
            for (int k = 0, a = 0, b = 0; k < order.length; k++) {
                if (k % folds == f) {
                    test[b++] = order[k];
                } else {
                    xt[a] = rows[order[k]];
                    yt[a++] = y[order[k]];
                }
            }
            double[] previous = null;
            for (int g = 0; g < GRID.length; g++) {
                Model m = fit(xt, width, yt, solver, GRID[g], warm ? previous : null);
                previous = m.getFeatureWeights();
                for (int i : test) {
                    correct[g] += (int) Linear.predict(m, rows[i]) == y[i] ? 1 : 0;
                }
            }
        }
        double bestCost = 1;
        int best = -1;
        for (int g = 0; g < GRID.length; g++) {
            if (correct[g] > best) {
                best = correct[g];
                bestCost = GRID[g];
            }
        }
        return bestCost;
    }

    /** One LIBLINEAR fit on converted rows; {@code start}: initial weights (a warm start), or null. */
    private static Model fit(Feature[][] rows, int width, int[] y, SolverType solver, double c, double[] start) {
        Problem p = new Problem();
        p.l = rows.length;
        p.n = width;
        p.bias = 1;
        p.x = rows;
        p.y = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            p.y[i] = y[i];
        }
        Parameter param = new Parameter(solver, c, 0.01);
        if (start != null) {
            param.setInitSol(start);
        }
        return Linear.train(p, param);
    }

    static LiblinearModel train(float[][] x, int[] y, int classes, SolverType solver, double c) {
        return train(x, y, classes, solver, c, 0);
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
