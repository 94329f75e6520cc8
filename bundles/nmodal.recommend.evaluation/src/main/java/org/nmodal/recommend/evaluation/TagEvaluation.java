package org.nmodal.recommend.evaluation;

import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.nmodal.api.recommend.RecommendSpec;
import org.nmodal.evaluation.Evaluator;
import org.nmodal.recommend.MappingEnsemble;
import org.nmodal.recommend.NeighbourContext;
import org.nmodal.recommend.RecommendSettings;
import org.nmodal.recommend.TagSpace;
import org.nmodal.recommend.TagVocabulary;
import org.nmodal.recommend.Vectors;

/**
 * Hashtag recommendation evaluated in a run: Tag2Vec learned from the tags of the training and dev posts, then for
 * every non-empty subset of modalities and each feature kind ({@code raw}: standardised features concatenated;
 * {@code aligned}: projected embeddings concatenated) the mapping into tag space (fitted on train, epoch chosen on
 * dev), ranked two ways (the tags nearest to the mapped point, as in the paper; and the tags of the training posts
 * nearest to it in the tag space), and the nearest-posts baseline, plus the popularity baseline once; all scored with P@K, R@K and hit@K on the
 * test posts that have at least one known tag. With {@code context > 0} the mapping reads each post's
 * {@link NeighbourContext} beside its features, and with tuned tag vectors it ranks in its own tuned space; with
 * {@code ensemble > 1} the mapping's tag scores are the mean of that many fits ({@link MappingEnsemble}).
 */
public final class TagEvaluation {
    private TagEvaluation() {}

    /** Methods, as reports name them. */
    public static final String MAPPING = "tag2vec";
    /**
     * The mapped point's nearest training posts in the tag space (each post there is its mean tag vector), their
     * tags weighted by cosine similarity: kNN over posts instead of over tags, in the same space.
     */
    public static final String MAPPING_KNN = "tag2vec-knn";
    /**
     * Late fusion of the single-modality mappings (a subset of two or more modalities): each modality's own mapping
     * scores every tag (cosine to its mapped point, in its own tag space) and a post's tags are ranked by the mean of
     * the scores of the modalities it has.
     *
     * @since 1.3
     */
    public static final String MAPPING_LATE = "tag2vec-late";
    /** The k nearest training posts' tags, weighted by cosine similarity. */
    public static final String NEAREST = "nearest-posts";
    /** The most frequent training tags, the same for every post. */
    public static final String POPULARITY = "popularity";

    /** One method on one subset and feature kind ({@code features} is "-" for popularity). */
    public record Row(String method, String features, List<String> modalities, Ranking.AtK[] atK) {}

    /** Everything a report shows. */
    public record Result(RecommendSpec spec, TagSpace space, List<Row> rows, int testPosts, int trainPosts) {}

    /**
     * Runs the evaluation.
     *
     * @param tags every post's tags as written (null for none)
     * @param raw standardised features per modality (null rows where missing)
     * @param aligned projected embeddings per modality (null rows where missing)
     */
    public static Result run(Engine engine, RecommendSpec spec, List<String> modalities, Map<String, float[][]> raw,
            Map<String, float[][]> aligned, List<List<String>> tags, int[] train, int[] dev, int[] test, long seed,
            Consumer<String> log) {
        return run(engine, spec, new org.nmodal.api.pipeline.SubsetRule.Chosen("every", Evaluator.subsets(modalities)),
                raw, aligned, tags, train, dev, test, seed, log);
    }

    /**
     * Runs the evaluation on the modality subsets a pipeline's {@code evaluate.subsets} chose.
     *
     * @since 1.1
     */
    public static Result run(Engine engine, RecommendSpec spec, org.nmodal.api.pipeline.SubsetRule.Chosen subsets,
            Map<String, float[][]> raw, Map<String, float[][]> aligned, List<List<String>> tags, int[] train,
            int[] dev, int[] test, long seed, Consumer<String> log) {
        int[] fit = IntStream.concat(Arrays.stream(train), Arrays.stream(dev)).toArray();
        long t0 = System.nanoTime();
        TagSpace space = TagSpace.learn(tags, fit, spec, seed);
        TagVocabulary vocab = space.vocabulary();
        if (vocab.size() == 0) {
            throw new IllegalArgumentException("no " + spec.field() + " seen in at least " + spec.minCount()
                    + " training posts");
        }
        List<int[]> known = vocab.encodeAll(tags);
        int[] scored = Arrays.stream(test).filter(i -> known.get(i).length > 0).toArray();
        int[] pool = Arrays.stream(fit).filter(i -> known.get(i).length > 0).toArray();
        List<int[]> truth = Arrays.stream(scored).mapToObj(known::get).toList();
        log.accept(String.format(Locale.ROOT, "recommend %s: %d tags seen in >= %d training posts, Tag2Vec %d-d in "
                + "%.1f s; %d of %d test posts have a known tag", spec.field(), vocab.size(), spec.minCount(),
                space.width(), (System.nanoTime() - t0) / 1e9, scored.length, test.length));
        int maxK = spec.maxK();
        List<Row> rows = new ArrayList<>();
        int[] popular = Vectors.top(Arrays.stream(vocab.counts()).asDoubleStream().toArray(), maxK);
        rows.add(new Row(POPULARITY, "-", List.of(), Ranking.score(
                Arrays.stream(scored).mapToObj(i -> popular).toList(), truth, spec.k())));
        // per feature kind and modality, the single-modality mapping's tag scores of each scored post: the late rows
        // of a larger subset average them (the subsets come smallest first, so the single ones are there by then)
        Map<String, double[][]> single = new java.util.HashMap<>();
        for (List<String> subset : subsets.subsets()) {
            for (String kind : spec.features()) {
                Map<String, float[][]> source = kind.equals("raw") ? raw : aligned;
                if (source == null || subset.stream().anyMatch(m -> source.get(m) == null)) {
                    continue;
                }
                long s0 = System.nanoTime();
                float[][] x = Evaluator.concat(source, subset);
                float[][] fitInput = x;
                float[][] testInput = x;
                if (spec.context() > 0) {
                    // training posts see the other training posts (dev posts choose the epoch on the same footing);
                    // test posts see every post whose tags were known when fitting, as the nearest-posts baseline
                    fitInput = NeighbourContext.over(x, known, train, vocab.size(), spec).inputs(x, fit);
                    testInput = NeighbourContext.over(x, known, fit, vocab.size(), spec).inputs(x, scored);
                }
                MappingEnsemble mappings = MappingEnsemble.fit(engine, fitInput, known, space, train, dev,
                        RecommendSettings.mapping(spec, seed), spec.ensemble());
                float[][] in = testInput;
                float[][] queries = Arrays.stream(scored).mapToObj(i -> in[i]).toArray(float[][]::new);
                double[][] scores = mappings.scores(queries);
                log.accept("recommend " + String.join("+", subset) + " " + kind + ": " + mappings.describe());
                // the kNN-in-tag-space ranking reads one mapped point: the first member's, in its own space
                TagSpace ranked = mappings.space(0);
                float[][] mapped = mappings.members().get(0).map(queries);
                if (subset.size() == 1) {
                    single.put(kind + "/" + subset.get(0), scores);
                }
                List<int[]> byMapping = Arrays.stream(scores).map(p -> p == null ? new int[0] : Vectors.top(p, maxK))
                        .toList();
                rows.add(new Row(MAPPING, kind, subset, Ranking.score(byMapping, truth, spec.k())));
                float[][] points = new float[x.length][];
                float[][] rankedTargets = ranked.targets(known, new int[tags.size()]);
                for (int i : pool) {
                    points[i] = rankedTargets[i];
                }
                for (int q = 0; q < scored.length; q++) {
                    points[scored[q]] = mapped[q];
                }
                List<int[]> byTagKnn = nearestPosts(points, scored, pool, known, vocab.size(), spec.neighbours(), maxK);
                rows.add(new Row(MAPPING_KNN, kind, subset, Ranking.score(byTagKnn, truth, spec.k())));
                List<int[]> byNeighbours = nearestPosts(x, scored, pool, known, vocab.size(), spec.neighbours(), maxK);
                rows.add(new Row(NEAREST, kind, subset, Ranking.score(byNeighbours, truth, spec.k())));
                Row map = rows.get(rows.size() - 3);
                Row knn = rows.get(rows.size() - 2);
                log.accept(String.format(Locale.ROOT, "recommend %s %s: tag2vec P@1 %.3f R@%d %.3f, tag2vec-knn P@1 "
                        + "%.3f R@%d %.3f, nearest posts P@1 %.3f (%.1f s)", String.join("+", subset), kind,
                        map.atK()[0].precision(), maxK, last(map).recall(), knn.atK()[0].precision(), maxK,
                        last(knn).recall(), rows.get(rows.size() - 1).atK()[0].precision(),
                        (System.nanoTime() - s0) / 1e9));
                List<double[][]> parts = subset.stream().map(m -> single.get(kind + "/" + m)).toList();
                if (subset.size() > 1 && !parts.contains(null)) {
                    List<int[]> late = IntStream.range(0, scored.length)
                            .mapToObj(q -> Vectors.top(Vectors.mean(parts.stream().map(p -> p[q]).toList(), vocab.size()), maxK))
                            .toList();
                    Row row = new Row(MAPPING_LATE, kind, subset, Ranking.score(late, truth, spec.k()));
                    rows.add(row);
                    log.accept(String.format(Locale.ROOT, "recommend %s %s: tag2vec-late P@1 %.3f R@%d %.3f",
                            String.join("+", subset), kind, row.atK()[0].precision(), maxK, last(row).recall()));
                }
            }
        }
        return new Result(spec, space, rows, scored.length, pool.length);
    }


    private static Ranking.AtK last(Row r) {
        return r.atK()[r.atK().length - 1];
    }

    /**
     * The nearest-posts baseline: each query's {@code neighbours} most cosine-similar pool posts, each adding its
     * similarity (when positive) to every one of its known tags.
     */
    public static List<int[]> nearestPosts(float[][] x, int[] queries, int[] pool, List<int[]> known, int tags,
            int neighbours, int k) {
        float[][] units = new float[x.length][];
        for (int i : pool) {
            units[i] = x[i] == null ? null : Vectors.unit(x[i]);
        }
        return IntStream.range(0, queries.length).parallel().mapToObj(q -> {
            if (x[queries[q]] == null) {
                return new int[0];
            }
            float[] u = Vectors.unit(x[queries[q]]);
            double[] sim = new double[pool.length];
            for (int j = 0; j < pool.length; j++) {
                sim[j] = units[pool[j]] == null ? Double.NEGATIVE_INFINITY : Vectors.dot(u, units[pool[j]]);
            }
            double[] score = new double[tags];
            for (int j : Vectors.top(sim, neighbours)) {
                if (sim[j] > 0) {
                    for (int t : known.get(pool[j])) {
                        score[t] += sim[j];
                    }
                }
            }
            return Vectors.top(score, k);
        }).toList();
    }
}
