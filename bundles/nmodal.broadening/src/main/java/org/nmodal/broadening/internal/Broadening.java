package org.nmodal.broadening.internal;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.IntStream;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.data.Post;
import org.nmodal.api.data.Split;
import org.nmodal.api.pipeline.PipelineService;
import org.nmodal.api.serving.BroadeningRequest;
import org.nmodal.api.serving.BroadeningResult;
import org.nmodal.api.serving.BroadeningResult.Candidate;
import org.nmodal.api.serving.BroadeningService;
import org.nmodal.api.serving.Scores;
import org.nmodal.api.serving.ServedPipeline;
import org.nmodal.api.serving.ServingService;
import org.nmodal.data.PostsReader;
import org.nmodal.evaluation.Evaluator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Latent space broadening (Sun et al., KDD 2025): the posts the served model is least sure about for a target class
 * are the seeds; each seed brings its {@code k} nearest neighbours in the model's fused space whose cosine
 * similarity reaches a threshold (lookalikes). The de-duplicated list is what to label next. When the pool's posts
 * carry labels (hidden from the selection), the result is scored against uncertainty sampling alone with the same
 * labelling budget.
 */
@Component(service = BroadeningService.class)
public final class Broadening implements BroadeningService {
    private final ServingService serving;
    private final PipelineService pipelines;

    /** Broadening over the served pipelines. */
    @Activate
    public Broadening(@Reference ServingService serving, @Reference PipelineService pipelines) {
        this.serving = serving;
        this.pipelines = pipelines;
    }

    /**
     * Runs the selection with the pipeline's current version over the posts of the pool that are not training or
     * dev posts (labels are read only to score the result).
     */
    @Override
    public BroadeningResult broaden(String pipeline, BroadeningRequest r) throws IOException {
        ServedPipeline served = serving.pipeline(pipeline);
        if (r.seeds() < 1 || r.k() < 0 || r.threshold() < -1 || r.threshold() > 1) {
            throw new InvalidInputException("need --seeds >= 1, --k >= 0 and -1 <= --threshold <= 1");
        }
        Path pool = r.pool() != null ? r.pool() : served.spec().dataPath();
        List<Post> posts = PostsReader.read(pool, served.spec().allowPathsOutside()).posts().stream()
                .filter(p -> p.split() == Split.TEST || p.split() == Split.UNLABELLED).toList();
        if (posts.isEmpty()) {
            throw new InvalidInputException(pool.getFileName() + ": no test or unlabelled posts to choose from");
        }
        String t = r.task().isEmpty() ? served.spec().tasks().get(0) : r.task();
        Scores scores = serving.score(pipeline, posts, t);
        String positive = r.positive();
        if (!positive.isEmpty() && !scores.classes().contains(positive)) {
            throw new InvalidInputException("class '" + positive + "' is not one of task " + t + "'s "
                    + scores.classes());
        }
        int n = posts.size();
        String pos = positive.isEmpty() ? rarest(scores.probabilities(), scores.classes()) : positive;
        int posIndex = scores.classes().indexOf(pos);
        double[] p = new double[n];
        double[] uncertainty = new double[n];
        float[][] unit = new float[n][];
        for (int i = 0; i < n; i++) {
            p[i] = scores.probabilities()[i][posIndex];
            uncertainty[i] = 1 - Math.abs(2 * p[i] - 1);
            unit[i] = Evaluator.unit(scores.fused()[i]);
        }
        Integer[] byUncertainty = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -uncertainty[i]).thenComparing(i -> i))
                .toArray(Integer[]::new);
        LinkedHashMap<Integer, Candidate> chosen = new LinkedHashMap<>();
        for (int s = 0; s < Math.min(r.seeds(), n); s++) {
            int seed = byUncertainty[s];
            chosen.putIfAbsent(seed, new Candidate(posts.get(seed).id(), "seed", uncertainty[seed], p[seed], 1));
        }
        for (int s = 0; s < Math.min(r.seeds(), n); s++) {
            int seed = byUncertainty[s];
            double[] cos = new double[n];
            for (int j = 0; j < n; j++) {
                cos[j] = Evaluator.dot(unit[seed], unit[j]);
            }
            int[] nearest = IntStream.range(0, n).filter(j -> j != seed && cos[j] >= r.threshold()).boxed()
                    .sorted(Comparator.comparingDouble((Integer j) -> -cos[j])).limit(r.k()).mapToInt(j -> j)
                    .toArray();
            for (int j : nearest) {
                chosen.putIfAbsent(j, new Candidate(posts.get(j).id(), "lookalike of " + posts.get(seed).id(),
                        uncertainty[j], p[j], cos[j]));
            }
        }
        List<Candidate> list = new ArrayList<>(chosen.values());
        int budget = list.size();
        boolean labelled = posts.stream().allMatch(x -> x.labels().containsKey(t));
        int found = 0;
        int baseline = 0;
        int inPool = 0;
        if (labelled) {
            for (int i : chosen.keySet()) {
                found += pos.equals(posts.get(i).labels().get(t)) ? 1 : 0;
            }
            for (int k = 0; k < budget; k++) {
                baseline += pos.equals(posts.get(byUncertainty[k]).labels().get(t)) ? 1 : 0;
            }
            inPool = (int) posts.stream().filter(x -> pos.equals(x.labels().get(t))).count();
        }
        Path out = r.out() != null ? r.out() : pipelines.work().broadening(pipeline, pos);
        Path file = write(out, list, t, pos);
        return new BroadeningResult(list, t, pos, n, found, baseline, inPool, labelled, file);
    }

    /** The candidates as JSONL, written beside the target and moved into place. */
    private static Path write(Path out, List<Candidate> list, String task, String positive) throws IOException {
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        Gson gson = new Gson();
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (Candidate c : list) {
                    JsonObject o = new JsonObject();
                    o.addProperty("id", c.id());
                    o.addProperty("reason", c.reason());
                    o.addProperty("task", task);
                    o.addProperty("class", positive);
                    o.addProperty("probability", round(c.probability()));
                    o.addProperty("uncertainty", round(c.uncertainty()));
                    o.addProperty("cosine", round(c.cosine()));
                    w.write(gson.toJson(o));
                    w.write('\n');
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** The class the model predicts least often in the pool: the rare class one wants more examples of. */
    private static String rarest(double[][] probabilities, List<String> classes) {
        int[] count = new int[classes.size()];
        for (double[] row : probabilities) {
            count[Evaluator.argmax(row)]++;
        }
        int best = 0;
        for (int c = 1; c < count.length; c++) {
            if (count[c] < count[best]) {
                best = c;
            }
        }
        return classes.get(best);
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }
}
