package org.nmodal.classify.internal;

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

    static LiblinearModel train(float[][] x, int[] y, int classes, SolverType solver, double c) {
        Standardizer.check(x, y, classes);
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
        return Standardizer.softmax(scores);
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
