package org.nmodal.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TagMappingTest {
    @Test
    void recoversAKnownLinearMap() {
        Random r = new Random(3);
        int n = 1200;
        int in = 8;
        int out = 4;
        double[][] a = new double[out][in];
        for (double[] row : a) {
            for (int j = 0; j < in; j++) {
                row[j] = r.nextGaussian() * 0.5;
            }
        }
        float[][] x = new float[n][in];
        float[][] y = new float[n][out];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < in; j++) {
                x[i][j] = (float) (r.nextGaussian() * 0.5);
            }
            for (int c = 0; c < out; c++) {
                for (int j = 0; j < in; j++) {
                    y[i][c] += (float) (a[c][j] * x[i][j]);
                }
            }
        }
        int[] weights = new int[n];
        Arrays.fill(weights, 1);
        int[] train = IntStream.range(0, 800).toArray();
        int[] dev = IntStream.range(800, 1000).toArray();
        TagMapping.Settings s = new TagMapping.Settings(32, 150, 0.01, 0, 64, 5);
        TagMapping m = TagMapping.fit(Engine.getEngine("PyTorch"), x, y, weights, train, dev, s);
        float[][] test = Arrays.copyOfRange(x, 1000, n);
        float[][] predicted = m.map(test);
        double err = 0;
        double var = 0;
        for (int i = 0; i < test.length; i++) {
            for (int c = 0; c < out; c++) {
                double d = predicted[i][c] - y[1000 + i][c];
                err += d * d;
                var += y[1000 + i][c] * y[1000 + i][c];
            }
        }
        // stated bar: the held-out posts' squared error is under 2 % of the targets' energy (R^2 > 0.98)
        assertTrue(err / var < 0.02, "relative squared error " + err / var);
        // seeded: the same fit again gives the same mapping. The seed fixes the initial weights and the batch order;
        // PyTorch's multi-threaded CPU kernels do not promise the same summation order from run to run, and 150
        // epochs carry such last-bit differences to about 1e-4 (seen in a CI run), so the check allows 1e-3
        float[][] again = TagMapping.fit(Engine.getEngine("PyTorch"), x, y, weights, train, dev, s).map(test);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(predicted[i], again[i], 1e-3f);
        }
    }

    /**
     * Posts around 12 prototypes in feature space; prototype {@code c} of topic {@code c % 3} carries two of that
     * topic's tags ({@code c} and {@code c + 12} of 24), and a topic's eight tag vectors lie close together (a shared
     * direction plus a little noise), as tags of one topic do after Tag2Vec. The mean of a post's two tags then lies in
     * the middle of its topic, where the regression to it (the paper's MSE) finds any of the eight about as near; the
     * softmax loss, which ranks the post's own tags above the rest, puts one of them first for nearly every post.
     */
    @Test
    void softmaxRanksTheOwnTagsFirstWhereTheMeanFails() {
        Random r = new Random(11);
        int prototypes = 12;
        int n = 900;
        Clustered posts = Clustered.of(r, prototypes, 10, n);
        float[][] x = posts.x();
        List<List<String>> tags = posts.tags();
        TagVocabulary vocabulary = posts.vocabulary();
        float[][] topic = unitRows(r, 3, 16);
        float[][] vectors = new float[vocabulary.size()][16];
        for (int i = 0; i < vectors.length; i++) {
            int t = Integer.parseInt(vocabulary.shown(i).substring(1)) % prototypes % 3;
            for (int j = 0; j < 16; j++) {
                vectors[i][j] = topic[t][j] + (float) (0.08 * r.nextGaussian());
            }
            Vectors.normalize(vectors[i]);
        }
        TagSpace space = new TagSpace(vocabulary, vectors);
        List<int[]> known = vocabulary.encodeAll(tags);
        int[] train = IntStream.range(0, 600).toArray();
        int[] dev = IntStream.range(600, 700).toArray();
        int[] test = IntStream.range(700, n).toArray();
        double softmax = precisionAt1(TagMapping.fit(Engine.getEngine("PyTorch"), x, known, space, train, dev,
                new TagMapping.Settings(32, 60, 0.01, 0, 64, 5, TagMapping.Loss.SOFTMAX, 0.1, 0.1, 10)), x, known,
                space, test);
        double mse = precisionAt1(TagMapping.fit(Engine.getEngine("PyTorch"), x, known, space, train, dev,
                new TagMapping.Settings(32, 60, 0.01, 0, 64, 5, TagMapping.Loss.MSE, 1, 0.1, 10)), x, known, space,
                test);
        // stated bars: softmax puts an own tag first for at least 95 % of the held-out posts, 10 points above MSE
        assertTrue(softmax >= 0.95, "softmax P@1 " + softmax);
        assertTrue(softmax >= mse + 0.1, "softmax P@1 " + softmax + ", mse P@1 " + mse);
    }

    /**
     * Posts around 12 prototypes, prototype {@code c} carrying tags {@code c} and {@code c + 12}, in a given tag space
     * where those two point in opposite directions: no point is near both, so with the vectors fixed the two nearest
     * tags of a mapped point hold at most one of the post's own. Tuning the vectors from that start (the softmax loss
     * moving them too) draws each pair together, and the two nearest tags become the post's two.
     */
    @Test
    void tuningTheTagVectorsBringsTagsThatGoTogetherNearer() {
        Random r = new Random(5);
        int prototypes = 12;
        int n = 900;
        Clustered posts = Clustered.of(r, prototypes, 10, n);
        float[][] x = posts.x();
        List<List<String>> tags = posts.tags();
        TagVocabulary vocabulary = posts.vocabulary();
        float[][] base = unitRows(r, prototypes, 16);
        float[][] vectors = new float[vocabulary.size()][16];
        for (int i = 0; i < vectors.length; i++) {
            int t = Integer.parseInt(vocabulary.shown(i).substring(1));
            for (int j = 0; j < 16; j++) {
                vectors[i][j] = (t < prototypes ? 1 : -1) * base[t % prototypes][j];
            }
        }
        TagSpace space = new TagSpace(vocabulary, vectors);
        List<int[]> known = vocabulary.encodeAll(tags);
        int[] train = IntStream.range(0, 600).toArray();
        int[] dev = IntStream.range(600, 700).toArray();
        int[] test = IntStream.range(700, n).toArray();
        TagMapping fixed = TagMapping.fit(Engine.getEngine("PyTorch"), x, known, space, train, dev,
                new TagMapping.Settings(32, 60, 0.01, 0, 64, 5, TagMapping.Loss.SOFTMAX, 0.1, 0.1, 10, 0));
        TagMapping tuned = TagMapping.fit(Engine.getEngine("PyTorch"), x, known, space, train, dev,
                new TagMapping.Settings(32, 60, 0.01, 0, 64, 5, TagMapping.Loss.SOFTMAX, 0.1, 0.1, 10, 1));
        assertTrue(fixed.space(space) == space, "fixed vectors: the ranking space is Tag2Vec's own");
        double before = recallAt2(fixed, x, known, fixed.space(space), test);
        double after = recallAt2(tuned, x, known, tuned.space(space), test);
        // stated bars: fixed, at most one of the two tags among the two nearest (R@2 <= 0.5 by construction);
        // tuned, both for at least 90 % of the held-out posts on average
        assertTrue(before <= 0.5 + 1e-9, "fixed R@2 " + before);
        assertTrue(after >= 0.9, "tuned R@2 " + after);
    }

    @Test
    void anEnsembleAveragesItsMembersScores() {
        Random r = new Random(8);
        Clustered posts = Clustered.of(r, 12, 10, 600);
        TagVocabulary vocabulary = posts.vocabulary();
        float[][] vectors = unitRows(r, vocabulary.size(), 8);
        TagSpace space = new TagSpace(vocabulary, vectors);
        List<int[]> known = vocabulary.encodeAll(posts.tags());
        int[] train = IntStream.range(0, 400).toArray();
        int[] dev = IntStream.range(400, 500).toArray();
        TagMapping.Settings s = new TagMapping.Settings(16, 20, 0.01, 0, 64, 5, TagMapping.Loss.SOFTMAX, 0.1, 0.1, 5, 1);
        float[][] test = Arrays.copyOfRange(posts.x(), 500, 600);
        MappingEnsemble ensemble = MappingEnsemble.fit(Engine.getEngine("PyTorch"), posts.x(), known, space, train, dev,
                s, 3);
        double[][] scores = ensemble.scores(test);
        float[][][] mapped = new float[3][][];
        for (int m = 0; m < 3; m++) {
            mapped[m] = ensemble.members().get(m).map(test);
        }
        for (int i = 0; i < test.length; i++) {
            double[] mean = new double[vectors.length];
            for (int m = 0; m < 3; m++) {
                double[] own = ensemble.space(m).scores(mapped[m][i]);
                for (int t = 0; t < mean.length; t++) {
                    mean[t] += own[t] / 3;
                }
            }
            assertArrayEquals(mean, scores[i], 1e-9);
        }
        assertTrue(ensemble.members().stream().allMatch(m -> m.devLoss() > 0 && m.devLoss() < 10), ensemble.describe());
        // the members are fits from seeds 5, 6 and 7, not one fit three times
        assertTrue(Math.abs(mapped[0][0][0] - mapped[1][0][0]) > 1e-4, "members 0 and 1 map alike");
        // one member is the single mapping itself (same seed, same settings)
        float[] single = TagMapping.fit(Engine.getEngine("PyTorch"), posts.x(), known, space, train, dev, s)
                .map(test)[0];
        assertArrayEquals(single, mapped[0][0], 1e-3f);
    }

    @Test
    void anEnsembleLeavesOutAStalledMember() {
        // dev losses as MVSA's fits give them (about 4.4 per tag) and a fit frozen by a gradient spike (8.4)
        assertArrayEquals(new boolean[] {true, false, true}, MappingEnsemble.kept(new double[] {4.41, 8.4, 4.38}));
        assertArrayEquals(new boolean[] {true, true}, MappingEnsemble.kept(new double[] {4.41, 4.9}));
        // without dev posts there is no loss to judge by: every member stays
        assertArrayEquals(new boolean[] {true, true}, MappingEnsemble.kept(new double[] {Double.NaN, Double.NaN}));
    }

    /** Random directions: Gaussian rows scaled to unit length. */
    private static float[][] unitRows(Random r, int rows, int width) {
        float[][] out = new float[rows][width];
        for (float[] v : out) {
            for (int j = 0; j < width; j++) {
                v[j] = (float) r.nextGaussian();
            }
            Vectors.normalize(v);
        }
        return out;
    }

    private static double recallAt2(TagMapping m, float[][] x, List<int[]> known, TagSpace space, int[] rows) {
        float[][] mapped = m.map(Arrays.stream(rows).mapToObj(i -> x[i]).toArray(float[][]::new));
        double recall = 0;
        for (int q = 0; q < rows.length; q++) {
            int[] top = Vectors.top(space.scores(mapped[q]), 2);
            int[] own = known.get(rows[q]);
            recall += Arrays.stream(top).filter(t -> Arrays.stream(own).anyMatch(o -> o == t)).count() / (double) own.length;
        }
        return recall / rows.length;
    }

    private static double precisionAt1(TagMapping m, float[][] x, List<int[]> known, TagSpace space, int[] rows) {
        float[][] mapped = m.map(Arrays.stream(rows).mapToObj(i -> x[i]).toArray(float[][]::new));
        int hits = 0;
        for (int q = 0; q < rows.length; q++) {
            int top = Vectors.top(space.scores(mapped[q]), 1)[0];
            if (Arrays.stream(known.get(rows[q])).anyMatch(t -> t == top)) {
                hits++;
            }
        }
        return hits / (double) rows.length;
    }

    /** {@code n} posts around {@code prototypes} random centres (noise 0.3); prototype c carries tags c, c + prototypes. */
    private record Clustered(float[][] x, List<List<String>> tags, TagVocabulary vocabulary) {
        static Clustered of(Random r, int prototypes, int in, int n) {
            float[][] centre = new float[prototypes][in];
            for (float[] c : centre) {
                for (int j = 0; j < in; j++) {
                    c[j] = (float) r.nextGaussian();
                }
            }
            List<List<String>> tags = new ArrayList<>();
            float[][] x = new float[n][in];
            for (int i = 0; i < n; i++) {
                int c = i % prototypes;
                for (int j = 0; j < in; j++) {
                    x[i][j] = centre[c][j] + (float) (0.3 * r.nextGaussian());
                }
                tags.add(List.of("t" + c, "t" + (c + prototypes)));
            }
            return new Clustered(x, tags, TagVocabulary.build(tags, IntStream.range(0, n).toArray(),
                    new TagNormalizer(false), 1));
        }
    }
}
