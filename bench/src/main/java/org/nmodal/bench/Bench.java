package org.nmodal.bench;

import java.nio.file.Path;
import java.util.Locale;

/** Runs every benchmark and prints one table; each ratio compares nmodal with the raw engine in the same run. */
public final class Bench {
    private Bench() {}

    /** @param args the project root */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        if (args.length > 1 && args[1].equals("serving")) {
            ServingBench.run(root); // just the hot-swap scenario: mvn -Pbench verify -Dnmodal.bench=serving
            return;
        }
        if (args.length > 1 && args[1].equals("boot")) {
            BootBench.run(root); // mvn -Pbench verify -Dnmodal.bench=boot
            return;
        }
        if (args.length > 1 && args[1].equals("training")) {
            HeadTrainingBench.run(); // mvn -Pbench verify -Dnmodal.bench=training
            return;
        }
        if (args.length > 1 && args[1].equals("tags")) {
            TagBench.run(root); // mvn -Pbench verify -Dnmodal.bench=tags
            return;
        }
        if (args.length > 1 && args[1].equals("mama")) {
            MamaBench.run(root); // mvn -Pbench verify -Dnmodal.bench=mama
            return;
        }
        if (args.length > 1 && args[1].equals("spark")) {
            SparkBench.run(root); // mvn -Pbench verify -Dnmodal.bench=spark
            return;
        }
        if (args.length > 1 && args[1].equals("mobilenet")) {
            MobileNetBench.run(root); // mvn -Pbench verify -Dnmodal.bench=mobilenet
            return;
        }
        if (args.length > 1 && args[1].equals("mosi")) {
            MosiBench.run(root); // mvn -Pbench verify -Dnmodal.bench=mosi
            return;
        }
        if (args.length > 1 && args[1].equals("twitter1-image")) {
            ImageSentimentBench.run(root); // mvn -Pbench verify -Dnmodal.bench=twitter1-image
            return;
        }
        if (args.length > 1 && args[1].equals("sentiformer")) {
            SentiFormerBench.run(root); // mvn -Pbench verify -Dnmodal.bench=sentiformer
            return;
        }
        System.out.println("nmodal benchmarks on " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("java.version"));
        BootBench.run(root);
        TextEncoderBench.run(root);
        ImageEncoderBench.run(root);
        MobileNetBench.run(root);
        SentiFormerBench.run(root);
        MosiBench.run(root);
        ImageSentimentBench.run(root);
        HeadTrainingBench.run();
        ServingBench.run(root);
        TagBench.run(root);
        MamaBench.run(root);
        SparkBench.run(root);
    }

    /**
     * Runs a pipeline through the real launcher ({@code runtime/nmodal run <pipeline> --out bench/target/<name>}),
     * its output in {@code bench/target/<name>.log}, and returns its report.json.
     */
    static com.google.gson.JsonObject runPipeline(Path root, String pipeline, String name) throws Exception {
        Path out = root.resolve("bench/target/" + name);
        Path log = root.resolve("bench/target/" + name + ".log");
        ProcessBuilder pb = new ProcessBuilder(root.resolve("runtime/nmodal").toString(), "run",
                root.resolve(pipeline).toString(), "--out", out.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        int rc = pb.start().waitFor();
        if (rc != 0) {
            throw new IllegalStateException("runtime/nmodal run " + pipeline + " failed (" + rc + "), see " + log);
        }
        return com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(out.resolve("report.json")))
                .getAsJsonObject();
    }

    /** Whether {@code ../shared/data/<file>} is there; says so when a bench is skipped for want of it. */
    static boolean sharedData(Path root, String file, String bench) {
        Path p = root.resolve("../shared/data/" + file).normalize();
        if (!java.nio.file.Files.isRegularFile(p)) {
            System.out.println(bench + ": skipped, no " + p);
            return false;
        }
        return true;
    }

    /**
     * The best accuracy (and its sd, NaN without cross-validation) in a report over its results of a task, feature
     * kind and subset, and of one classifier unless {@code classifier} is null.
     */
    static double[] best(com.google.gson.JsonObject report, String task, String kind, java.util.List<String> subset,
            String classifier) {
        double[] top = {Double.NaN, Double.NaN};
        for (com.google.gson.JsonElement e : report.getAsJsonArray("results")) {
            com.google.gson.JsonObject r = e.getAsJsonObject();
            java.util.List<String> mods = new java.util.ArrayList<>();
            r.getAsJsonArray("modalities").forEach(m -> mods.add(m.getAsString()));
            if (r.get("task").getAsString().equals(task) && r.get("features").getAsString().equals(kind)
                    && mods.equals(subset) && (classifier == null || r.get("classifier").getAsString().equals(classifier))
                    && !(r.get("accuracy").getAsDouble() <= top[0])) {
                top[0] = r.get("accuracy").getAsDouble();
                top[1] = r.has("accuracySd") ? r.get("accuracySd").getAsDouble() : Double.NaN;
            }
        }
        return top;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
