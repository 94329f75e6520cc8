package org.nmodal.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Hashtag recommendation on MVSA-Multiple (texts only; ../shared/data/mvsa-multiple-text): runs
 * {@code pipelines/mvsa-tags.json} through the runtime (text through MiniLM; Tag2Vec mapping, popularity and nearest
 * posts in the same run) and prints P@1, R@5 and R@10 of each method beside the data set's reference figures; then
 * {@code pipelines/demo-tags.json} on freshly generated demo posts (own work folder), printing the single-modality
 * mappings beside one mapping of the concatenated media and their late fusion. {@code mvn -B verify -Pbench
 * -Dnmodal.bench=tags}.
 */
final class TagBench {
    private TagBench() {}

    static void run(Path root) throws Exception {
        mvsa(root);
        demo(root);
    }

    private static void mvsa(Path root) throws Exception {
        Path data = root.resolve("../shared/data/mvsa-multiple-text/posts.jsonl").normalize();
        if (!Files.isRegularFile(data)) {
            System.out.println("tags: skipped, no " + data);
            return;
        }
        Path out = Files.createTempDirectory("nmodal-tags-bench");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(root.resolve("runtime/nmodal").toString(), "run",
                root.resolve("pipelines/mvsa-tags.json").toString(), "--out", out.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("tags: the run failed (exit " + p.exitValue() + ")");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("report.json"),
                StandardCharsets.UTF_8)).getAsJsonObject();
        System.out.println(String.format(Locale.ROOT, "%nhashtag recommendation, MVSA-Multiple test posts with a tag "
                + "seen >= 3 times in train+dev (pipelines/mvsa-tags.json, %.0f s):", seconds));
        System.out.println(String.format(Locale.ROOT, "  %-14s %-6s %-8s %6s %6s %6s %6s", "method", "text", "features",
                "posts", "P@1", "R@5", "R@10"));
        for (JsonElement e : report.getAsJsonArray("recommendation")) {
            JsonObject r = e.getAsJsonObject();
            System.out.println(String.format(Locale.ROOT, "  %-14s %-6s %-8s %6d %6.3f %6.3f %6.3f",
                    r.get("method").getAsString(), r.getAsJsonArray("modalities").isEmpty() ? "-" : "minilm",
                    r.get("features").getAsString(), r.get("posts").getAsInt(), r.get("p1").getAsDouble(),
                    r.get("r5").getAsDouble(), r.get("r10").getAsDouble()));
        }
        System.out.println("  reference (data README): popularity P@1 0.104 R@5 0.225 R@10 0.390; TF-IDF nearest posts "
                + "P@1 0.445 R@5 0.560 R@10 0.650; goal for the Tag2Vec mapping P@1 >= 0.45 and R@10 >= 0.65");
    }

    /** The demo posts: does using every medium beat the best single one, and image+video beat popularity? */
    private static void demo(Path root) throws Exception {
        Path dir = root.resolve("bench/target/tags-demo");
        Path work = dir.resolve("work");
        Files.createDirectories(dir);
        MamaBench.exec(root, work, "exec", "nmodal:demo --generate-only");
        String json = Files.readString(root.resolve("pipelines/demo-tags.json"), StandardCharsets.UTF_8)
                .replace("\"../runtime/work/demo\"", "\"work/demo\"");
        Path file = dir.resolve("demo-tags.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        JsonObject report = Bench.runPipeline(root, file.toString(), "tags-demo/run");
        System.out.println(String.format(Locale.ROOT, "%nhashtag recommendation, demo test posts (pipelines/demo-tags"
                + ".json on generated posts, raw features, %.0f s):", (System.nanoTime() - t0) / 1e9));
        System.out.println(String.format(Locale.ROOT, "  %-18s %-14s %6s %6s %6s %6s", "modalities", "method", "posts",
                "P@1", "R@5", "R@10"));
        for (JsonElement e : report.getAsJsonArray("recommendation")) {
            JsonObject r = e.getAsJsonObject();
            String method = r.get("method").getAsString();
            if (!r.get("features").getAsString().equals("aligned") && (method.equals("popularity")
                    || method.equals("tag2vec") || method.equals("tag2vec-late"))) {
                java.util.List<String> mods = new java.util.ArrayList<>();
                r.getAsJsonArray("modalities").forEach(m -> mods.add(m.getAsString()));
                System.out.println(String.format(Locale.ROOT, "  %-18s %-14s %6d %6.3f %6.3f %6.3f",
                        mods.isEmpty() ? "-" : String.join("+", mods), method, r.get("posts").getAsInt(),
                        r.get("p1").getAsDouble(), r.get("r5").getAsDouble(), r.get("r10").getAsDouble()));
            }
        }
        System.out.println("  goal: image+video far above popularity; all media above the best single medium");
    }
}
