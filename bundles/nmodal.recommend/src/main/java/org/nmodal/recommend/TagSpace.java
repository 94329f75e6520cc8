package org.nmodal.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nmodal.api.recommend.RecommendSpec;
import org.nmodal.api.recommend.TagScore;

/**
 * A vocabulary of tags and their Tag2Vec embeddings (unit length), learned from the training posts' tag lists; and
 * the targets of the mapping: each post's mean tag vector.
 */
public final class TagSpace {
    private final TagVocabulary vocabulary;
    private final float[][] vectors;

    /** A space over given vectors (tests, stored models). */
    public TagSpace(TagVocabulary vocabulary, float[][] vectors) {
        this.vocabulary = vocabulary;
        this.vectors = vectors;
    }

    /**
     * Counts the tags of the training rows and embeds them.
     *
     * @param tags every post's tags as written
     * @param rows the rows whose tags are counted and embedded
     */
    public static TagSpace learn(List<List<String>> tags, int[] rows, RecommendSpec spec, long seed) {
        TagVocabulary v = TagVocabulary.build(tags, rows, new TagNormalizer(spec.stem()), spec.minCount());
        List<int[]> sentences = new ArrayList<>();
        for (int r : rows) {
            int[] t = v.encode(tags.get(r));
            if (t.length > 1) {
                sentences.add(t);
            }
        }
        float[][] vectors = Tag2Vec.train(sentences, v.counts(), new Tag2Vec.Settings(spec.width(), spec.epochs(),
                spec.negatives(), 0.025, seed));
        return new TagSpace(v, vectors);
    }

    /** The vocabulary. */
    public TagVocabulary vocabulary() {
        return vocabulary;
    }

    /** Tag {@code i}'s vector. */
    public float[] vector(int i) {
        return vectors[i];
    }

    /** The embedding width. */
    public int width() {
        return vectors.length == 0 ? 0 : vectors[0].length;
    }

    /** Each post's mean known-tag vector (null without one), and in {@code counts} its number of known tags. */
    public float[][] targets(List<int[]> known, int[] counts) {
        float[][] out = new float[known.size()][];
        for (int i = 0; i < known.size(); i++) {
            int[] t = known.get(i);
            counts[i] = t.length;
            if (t.length == 0) {
                continue;
            }
            float[] m = new float[width()];
            for (int y : t) {
                for (int j = 0; j < m.length; j++) {
                    m[j] += vectors[y][j] / t.length;
                }
            }
            out[i] = m;
        }
        return out;
    }

    /** Every tag's cosine to a point of the space. */
    public double[] scores(float[] point) {
        double[] s = new double[vectors.length];
        float[] u = Vectors.unit(point);
        for (int i = 0; i < vectors.length; i++) {
            s[i] = Vectors.dot(u, vectors[i]);
        }
        return s;
    }

    /** The {@code k} tags nearest to a point, best first. */
    public List<TagScore> nearest(float[] point, int k) {
        return best(scores(point), k);
    }

    /** The {@code k} best tags by given per-tag scores (one per tag of this space), best first. */
    public List<TagScore> best(double[] s, int k) {
        List<TagScore> out = new ArrayList<>();
        for (int i : Vectors.top(s, k)) {
            out.add(new TagScore(vocabulary.shown(i), s[i]));
        }
        return out;
    }

    /** The {@code k} tags nearest to tag {@code i}, itself left out. */
    public List<TagScore> similar(int i, int k) {
        double[] s = scores(vectors[i]);
        s[i] = Double.NEGATIVE_INFINITY;
        List<TagScore> out = new ArrayList<>();
        for (int j : Vectors.top(s, k)) {
            out.add(new TagScore(vocabulary.shown(j), s[j]));
        }
        return out;
    }

    /** A copy of the vectors, for maps. */
    public float[][] vectors() {
        return Arrays.stream(vectors).map(float[]::clone).toArray(float[][]::new);
    }
}
