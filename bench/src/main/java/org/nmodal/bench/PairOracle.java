package org.nmodal.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * What a perfect sample reweighter could reach on noisy pairs: the same five-fold runs as the noisy ones (fold k tests,
 * fold k+1 is dev, the other three train) but with the broken training posts left out instead of broken, that is a
 * seeded share of each fold's training posts dropped and the rest kept clean. A reweighter can at best give the
 * broken posts weight zero; it cannot bring back the pairs they lost. So the difference between this and InfoNCE on
 * the broken posts bounds the gain any sample weighting can show.
 */
final class PairOracle {
    private PairOracle() {}

    /** Runs a pipeline (its id and JSON) through the launcher and returns its report. */
    interface Runner {
        JsonObject run(String id, String json) throws Exception;
    }

    /**
     * Runs the pipeline on every fold's copy with {@code share} of its training posts left out (seeded).
     *
     * @param posts the posts file (with {@code meta.fold})
     * @param body the pipeline's JSON after its {@code "data"} block (encoders, projection, loss, train, ...)
     * @return each fold's mean R@1 over the ordered modality pairs and, last, their mean
     */
    static double[] run(Path posts, Path dir, String name, String body, double share, long seed, Runner runner)
            throws Exception {
        List<JsonObject> all = new ArrayList<>();
        for (String line : Files.readAllLines(posts, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                all.add(JsonParser.parseString(line).getAsJsonObject());
            }
        }
        List<String> folds = new ArrayList<>(new TreeSet<>(all.stream().map(PairOracle::fold).toList()));
        double[] out = new double[folds.size() + 1];
        for (int k = 0; k < folds.size(); k++) {
            String test = folds.get(k);
            String dev = folds.get((k + 1) % folds.size());
            Path copy = dir.resolve(name + "-fold" + test);
            Files.createDirectories(copy);
            Random drop = new Random(seed + k);
            Path tmp = Files.createTempFile(copy, "posts", ".part");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (JsonObject p : all) {
                    String f = fold(p);
                    String split = f.equals(test) ? "test" : f.equals(dev) ? "dev" : "train";
                    if (split.equals("train") && drop.nextDouble() < share) {
                        continue;
                    }
                    JsonObject q = p.deepCopy();
                    q.addProperty("split", split);
                    w.write(q.toString());
                    w.write('\n');
                }
            }
            Files.move(tmp, copy.resolve("posts.jsonl"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            String id = name + "-fold" + test;
            String json = "{\"id\": \"" + id + "\", \"data\": {\"format\": \"posts\", \"path\": \"" + copy
                    + "\", \"allowPathsOutside\": true}, " + body + "}";
            out[k] = MamaBench.meanRecall(runner.run(id, json).getAsJsonArray("retrieval"))[0];
            out[folds.size()] += out[k] / folds.size();
        }
        return out;
    }

    private static String fold(JsonObject p) {
        return p.getAsJsonObject("meta").get("fold").getAsString();
    }
}
