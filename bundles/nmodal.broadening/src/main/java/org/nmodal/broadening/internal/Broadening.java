package org.nmodal.pipeline.internal;

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
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.data.Post;
import org.nmodal.api.data.Split;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.data.PostsReader;

/**
 * Latent space broadening (Sun et al., KDD 2025): the posts the served model is least sure about for a target class
 * are the seeds; each seed brings its {@code k} nearest neighbours in the model's fused space whose cosine
 * similarity reaches a threshold (lookalikes). The de-duplicated list is what to label next. When the pool's posts
 * carry labels (hidden from the selection), the result is scored against uncertainty sampling alone with the same
 * labelling budget.
 */
final class Broadening {
    /** One selected post. */
    record Candidate(String id, String reason, double uncertainty, double positiveProbability, double cosine) {}

    /** The selection and, when the pool is labelled, how it compares with uncertainty sampling. */
    record Result(List<Candidate> candidates, String task, String positive, int poolSize, int positivesFound,
            int positivesByUncertainty, int positivesInPool, boolean labelled, Path file) {}

    private Broadening() {}

    /**
     * Runs the selection with the pipeline's current version over the posts of {@code pool} that are not training
     * or dev posts (labels are read only to score the result).
     */
    static Result run(ServedPipeline served, PipelineRunner runner, Path pool, String task, String positive, int seeds,
            int k, double threshold, Path out, Consumer<String> log) throws IOException {
        ModelVersion v = served.current();
        String t = task.isEmpty() ? v.tasks.get(0).task() : task;
        ModelVersion.Task model = v.tasks.stream().filter(x -> x.task().equals(t)).findFirst().orElseThrow(
                () -> new InvalidInputException("task '" + t + "' is not one of the model's ("
                        + v.tasks.stream().map(ModelVersion.Task::task).toList() + ")"));
        if (!positive.isEmpty() && !model.classes().contains(positive)) {
            throw new InvalidInputException("class '" + positive + "' is not one of task " + t + "'s "
                    + model.classes());
        }
        if (seeds < 1 || k < 0 || threshold < -1 || threshold > 1) {
            throw new InvalidInputException("need --seeds >= 1, --k >= 0 and -1 <= --threshold <= 1");
        }
        List<Post> posts = PostsReader.read(pool).posts().stream()
                .filter(p -> p.split() == Split.TEST || p.split() == Split.UNLABELLED).toList();
        if (posts.isEmpty()) {
            throw new InvalidInputException(pool + ": no test or unlabelled posts to choose from");
        }
        List<Map<String, float[]>> raw = new ArrayList<>();
        posts.forEach(p -> raw.add(new LinkedHashMap<>()));
        for (ModelVersion.Part part : v.parts) {
            try (Registry.Lease lease = runner.registry().lease(part.encoder())) {
                if (lease == null) {
                    log.accept(part.modality() + ": encoder " + part.encoder() + " is not running; scored without it");
                    continue;
                }
                ModalityEncoder encoder = lease.encoder();
                float[][] x = runner.encodeModality(posts, part.modality(), encoder, e -> { }, p -> { }, log,
                        served.spec().encodeTimeoutMs());
                for (int i = 0; i < x.length; i++) {
                    if (x[i] != null) {
                        raw.get(i).put(part.modality(), x[i]);
                    }
                }
            }
        }
        ModelVersion.Scores scores = v.score(runner.engine(), runner.registry().fusion(served.spec().fusion(), "fusion"),
                raw).get(t);
        int n = posts.size();
        String pos = positive.isEmpty() ? rarest(scores.probabilities(), model.classes()) : positive;
        int posIndex = model.classes().indexOf(pos);
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
        for (int s = 0; s < Math.min(seeds, n); s++) {
            int seed = byUncertainty[s];
            chosen.putIfAbsent(seed, new Candidate(posts.get(seed).id(), "seed", uncertainty[seed], p[seed], 1));
        }
        for (int s = 0; s < Math.min(seeds, n); s++) {
            int seed = byUncertainty[s];
            double[] cos = new double[n];
            for (int j = 0; j < n; j++) {
                cos[j] = Evaluator.dot(unit[seed], unit[j]);
            }
            int[] nearest = IntStream.range(0, n).filter(j -> j != seed && cos[j] >= threshold).boxed()
                    .sorted(Comparator.comparingDouble((Integer j) -> -cos[j])).limit(k).mapToInt(j -> j).toArray();
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
            for (int r = 0; r < budget; r++) {
                baseline += pos.equals(posts.get(byUncertainty[r]).labels().get(t)) ? 1 : 0;
            }
            inPool = (int) posts.stream().filter(x -> pos.equals(x.labels().get(t))).count();
        }
        Path file = write(out, list, t, pos);
        return new Result(list, t, pos, n, found, baseline, inPool, labelled, file);
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
                    o.addProperty("probability", round(c.positiveProbability()));
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

    static String summary(Result r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "broadening: %d candidates from %d pool posts (task %s, class %s) written to %s", r.candidates().size(),
                r.poolSize(), r.task(), r.positive(), r.file()));
        if (r.labelled()) {
            b.append(String.format(Locale.ROOT, "%nsimulated labelling, budget %d: broadening finds %d %s posts, "
                    + "uncertainty sampling alone %d (%d in the pool)", r.candidates().size(), r.positivesFound(),
                    r.positive(), r.positivesByUncertainty(), r.positivesInPool()));
        }
        return b.toString();
    }

    private static double round(double x) {
        return Math.round(x * 10000) / 10000.0;
    }
}
