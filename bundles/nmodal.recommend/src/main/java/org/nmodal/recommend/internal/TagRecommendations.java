package org.nmodal.recommend.internal;

import ai.djl.engine.Engine;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.data.Post;
import org.nmodal.api.data.Split;
import org.nmodal.api.recommend.RecommendSpec;
import org.nmodal.api.recommend.TagAnswer;
import org.nmodal.api.recommend.TagScore;
import org.nmodal.api.recommend.TagService;
import org.nmodal.api.serving.ServedPipeline;
import org.nmodal.api.serving.ServingService;
import org.nmodal.api.serving.VersionInfo;
import org.nmodal.data.PostsReader;
import org.nmodal.data.RequestPost;
import org.nmodal.recommend.MappingEnsemble;
import org.nmodal.recommend.NeighbourContext;
import org.nmodal.recommend.RecommendSettings;
import org.nmodal.recommend.TagSpace;
import org.nmodal.recommend.Vectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Served hashtag recommendation over {@link ServingService}: for a served pipeline with a {@code recommend} block,
 * Tag2Vec is learned from its training and dev posts' tags, and the mapping from the answering version's fused post
 * embedding into the tag space is fitted on the training posts (the dev posts choose its epoch); with {@code
 * "serve": "late"} one mapping per modality from its own projected embedding, a post's tag scores averaged over the
 * modalities it has. All are built on the first call for a version and kept until the served version changes.
 */
@Component(service = TagService.class)
public final class TagRecommendations implements TagService {
    private static final int MAX_K = 1000;
    private final ServingService serving;
    private final Engine engine;
    private final Map<String, Model> models = new ConcurrentHashMap<>();

    /**
     * A pipeline's Tag2Vec space and, for one served version, its mapped inputs: the fused embedding (key {@code ""})
     * or, served late, each modality's own embedding (key: the modality).
     */
    record Model(String version, TagSpace space, Map<String, Mapped> inputs) {}

    /** The mappings of one input (one, or the ensemble the spec asks for) and its neighbour context (null: none). */
    record Mapped(MappingEnsemble mappings, NeighbourContext context) {
        double[] scores(float[] x) {
            return mappings.scores(new float[][] {context == null ? x : context.input(x)})[0];
        }
    }

    /** Wires the recommender to the served pipelines and the PyTorch engine (the mapping's regression). */
    @Activate
    public TagRecommendations(@Reference ServingService serving,
            @Reference(target = "(nmodal.name=PyTorch)") Engine engine) {
        this.serving = serving;
        this.engine = engine;
    }

    @Override
    public TagAnswer recommend(String pipeline, String postJson, int k) throws IOException {
        long t0 = System.nanoTime();
        checkK(k);
        ServedPipeline p = served(pipeline);
        JsonObject o = RequestPost.object(postJson);
        if (!o.has("id")) {
            o.addProperty("id", "request");
        }
        List<String> problems = new ArrayList<>();
        Post post;
        try {
            post = PostsReader.post(o, p.spec().dataPath(), problems);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("the post has " + e.getMessage());
        }
        List<String> modalities = p.current() == null ? List.of() : p.current().modalities();
        List<String> used = modalities.stream().filter(m -> post.input(m).isPresent()).toList();
        if (used.isEmpty()) {
            throw new InvalidInputException("post " + post.id() + ": no usable input (" + pipeline + " reads "
                    + String.join(", ", modalities) + ")" + (problems.isEmpty() ? "" : ": " + problems.get(0)));
        }
        for (int attempt = 0; ; attempt++) {
            Model model = model(p.id());
            var scores = serving.score(p.id(), List.of(post), null);
            if (!scores.version().equals(model.version()) && attempt < 2) {
                continue; // the served version changed between the two calls: map with the new one's model
            }
            List<double[]> parts = new ArrayList<>();
            model.inputs().forEach((m, mapped) -> {
                float[] x = m.isEmpty() ? scores.fused()[0] : scores.embeddings().get(m)[0];
                if (x != null) {
                    parts.add(mapped.scores(x));
                }
            });
            if (parts.isEmpty()) {
                throw new InvalidInputException("post " + post.id() + ": no usable input (" + pipeline + " maps "
                        + String.join(", ", model.inputs().keySet()) + " and the post has none of them encoded)");
            }
            List<TagScore> tags = model.space().best(Vectors.mean(parts, model.space().vocabulary().size()), k);
            return new TagAnswer(p.id(), scores.version(), used, tags, (System.nanoTime() - t0) / 1e6);
        }
    }

    @Override
    public List<TagScore> similar(String pipeline, String tag, int k) {
        checkK(k);
        ServedPipeline p = served(pipeline);
        TagSpace space = model(p.id()).space();
        int i = space.vocabulary().indexOf(tag).orElseThrow(() -> new InvalidInputException("tag '" + tag + "' is not "
                + "among the " + space.vocabulary().size() + " tags of " + pipeline + " (a tag needs at least "
                + p.spec().recommend().minCount() + " training posts)"));
        return space.similar(i, k);
    }

    private static void checkK(int k) {
        if (k < 1 || k > MAX_K) {
            throw new InvalidInputException("k must be from 1 to " + MAX_K + ", got " + k);
        }
    }

    private ServedPipeline served(String pipeline) {
        ServedPipeline p = serving.pipeline(pipeline);
        if (p.spec().recommend() == null) {
            throw new InvalidInputException(pipeline + " has no 'recommend' block: it recommends no tags");
        }
        if (p.current() == null) {
            throw new IllegalStateException(pipeline + ": no model version ready yet (" + p.state() + ")");
        }
        return p;
    }

    /** The model of the pipeline's current version, built on first use. */
    private Model model(String id) {
        ServedPipeline p = serving.pipeline(id);
        VersionInfo v = p.current();
        String version = v == null ? "" : "v" + v.number();
        Model m = models.get(id);
        if (m != null && m.version().equals(version)) {
            return m;
        }
        synchronized (this) {
            m = models.get(id);
            if (m == null || !m.version().equals(version)) {
                m = build(p);
                models.put(id, m);
            }
            return m;
        }
    }

    private Model build(ServedPipeline p) {
        RecommendSpec spec = p.spec().recommend();
        List<Post> posts;
        try {
            posts = PostsReader.read(p.spec().dataPath(), p.spec().allowPathsOutside()).posts();
        } catch (IOException e) {
            throw new IllegalStateException(p.id() + ": cannot read the training posts (" + e.getMessage() + ")", e);
        }
        int[] train = IntStream.range(0, posts.size()).filter(i -> posts.get(i).split() == Split.TRAIN).toArray();
        int[] dev = IntStream.range(0, posts.size()).filter(i -> posts.get(i).split() == Split.DEV).toArray();
        int[] fit = IntStream.concat(IntStream.of(train), IntStream.of(dev)).toArray();
        boolean hashtags = spec.field().equals("hashtags");
        List<List<String>> tags = posts.stream().map(x -> hashtags ? x.metadata().hashtags() : x.metadata().tags())
                .toList();
        long seed = p.spec().training().seed();
        TagSpace space = TagSpace.learn(tags, fit, spec, seed);
        if (space.vocabulary().size() == 0) {
            throw new InvalidInputException(p.id() + ": no " + spec.field() + " seen in at least " + spec.minCount()
                    + " training posts");
        }
        var scores = serving.score(p.id(), posts, null);
        List<int[]> known = space.vocabulary().encodeAll(tags);
        int[] learn = train.length > 0 ? train : fit;
        Map<String, float[][]> sources = new java.util.LinkedHashMap<>();
        if (spec.serve().equals(RecommendSpec.SERVE_LATE)) {
            sources.putAll(scores.embeddings());
        } else {
            sources.put("", scores.fused());
        }
        Map<String, Mapped> inputs = new java.util.LinkedHashMap<>();
        sources.forEach((m, x) -> {
            float[][] input = x;
            NeighbourContext context = null;
            if (spec.context() > 0) {
                // fitted on contexts from the training posts; a request's context comes from every fitted post
                input = NeighbourContext.over(x, known, learn, space.vocabulary().size(), spec).inputs(x, fit);
                context = NeighbourContext.over(x, known, fit, space.vocabulary().size(), spec);
            }
            inputs.put(m, new Mapped(MappingEnsemble.fit(engine, input, known, space, learn, dev,
                    RecommendSettings.mapping(spec, seed), spec.ensemble()), context));
        });
        return new Model(scores.version(), space, inputs);
    }
}
