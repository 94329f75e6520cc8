package org.nmodal.spark;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.pipeline.RunResult;
import org.nmodal.api.serving.StoredModel;
import org.nmodal.embed.EmbeddedRuntime;

/**
 * The Spark application:
 *
 * <pre>
 * spark-submit --class org.nmodal.spark.NModalSpark nmodal-spark.jar &lt;pipeline.json&gt; [--data DATA] --out DIR
 *     [--steps encode,train,classify | --steps predict (--version N | --model DIR) [--classifier NAME]]
 * </pre>
 *
 * Steps: {@code encode} (executors, Parquet tables {@code posts}, {@code features}, {@code errors}), {@code train}
 * (projection heads, ablation and report on the driver, through the single-machine runner: {@code report/}),
 * {@code classify} (MLlib on the fused features: {@code classify.json}, {@code model/}), {@code predict} (score with
 * a stored model version of nmodal's serving, {@code --version N} or {@code --model <work>/trained/<id>/v<N>}, on
 * the executors: {@code predictions}; or, with {@code --model <run>/model}, encode and score with the MLlib models a
 * {@code classify} stored). Default: encode, train, classify. A bad pipeline file or argument, a version that does
 * not exist or a folder that is not one is one line and exit status 2.
 */
public final class NModalSpark {
    static final List<String> STEPS = List.of("encode", "train", "classify", "predict");

    /** Parsed command line. */
    public record Args(Path pipeline, Path data, Path out, Set<String> steps, Path model, String classifier,
            int version) {
        /** Parses the command line; a bad one is an {@link InvalidInputException} with one line. */
        public static Args parse(String[] a) {
            Path pipeline = null;
            Path data = null;
            Path out = null;
            Path model = null;
            String classifier = null;
            int version = 0;
            Set<String> steps = new LinkedHashSet<>(List.of("encode", "train", "classify"));
            for (int i = 0; i < a.length; i++) {
                String s = a[i];
                if (s.startsWith("--")) {
                    if (i + 1 >= a.length) {
                        throw new InvalidInputException(s + " needs a value");
                    }
                    String v = a[++i];
                    switch (s) {
                        case "--data" -> data = Path.of(v);
                        case "--out" -> out = Path.of(v);
                        case "--model" -> model = Path.of(v);
                        case "--classifier" -> classifier = v;
                        case "--version" -> version = version(v);
                        case "--steps" -> {
                            steps = new LinkedHashSet<>(List.of(v.split(",")));
                            for (String step : steps) {
                                if (!STEPS.contains(step)) {
                                    throw new InvalidInputException("--steps: unknown step '" + step + "' (steps: "
                                            + String.join(", ", STEPS) + ")");
                                }
                            }
                        }
                        default -> throw new InvalidInputException("unknown option '" + s
                                + "' (options: --data, --out, --steps, --model, --version, --classifier)");
                    }
                } else if (pipeline == null) {
                    pipeline = Path.of(s);
                } else {
                    throw new InvalidInputException("one pipeline file at a time ('" + s + "')");
                }
            }
            if (pipeline == null || out == null) {
                throw new InvalidInputException("usage: nmodal-spark <pipeline.json> [--data DATA] --out DIR "
                        + "[--steps encode,train,classify,predict] [--version N | --model DIR] [--classifier NAME]");
            }
            if (steps.contains("predict") && (model == null) == (version == 0)) {
                throw new InvalidInputException("--steps predict needs --version N (a stored model version of the "
                        + "pipeline) or --model DIR (a version folder trained/<id>/v<N>, or the model/ folder of a "
                        + "run that classified), one of them");
            }
            return new Args(pipeline, data, out.toAbsolutePath().normalize(), steps, model, classifier, version);
        }

        private static int version(String v) {
            String n = v.startsWith("v") ? v.substring(1) : v;
            try {
                int i = Integer.parseInt(n);
                if (i > 0) {
                    return i;
                }
            } catch (NumberFormatException e) {
                // the line below
            }
            throw new InvalidInputException("--version: '" + v + "' is not a version number (1, 2, ... or v1, v2, ...)");
        }
    }

    /**
     * What a run did.
     *
     * @param posts posts encoded (0 without an encode step)
     * @param vectors feature vectors written
     * @param problems lines in the errors table
     * @param encodeSeconds wall-clock time of the encode job, executor start-up included
     * @param runtimeStarts embedded runtimes started on the executors (one per JVM)
     * @param runtimeStartMillis their start-up times summed (runtime started and encoders bound)
     * @param report the driver's single-machine report folder ({@code report/}), or null without a train step
     * @param classify the MLlib results, empty without a classify step
     * @param predictions prediction rows written by a predict step (one per post and task, plus one per bad line)
     */
    public record Summary(long posts, long vectors, long problems, double encodeSeconds, long runtimeStarts,
            long runtimeStartMillis, Path report, List<Metrics> classify, long predictions) {}

    /** One MLlib result: task, classifier, accuracy and macro-F1 on the test posts. */
    public record Metrics(String task, String classifier, double accuracy, double macroF1) {}

    private NModalSpark() {}

    public static void main(String[] argv) {
        Args args;
        try {
            args = Args.parse(argv);
        } catch (InvalidInputException e) {
            System.err.println("nmodal-spark: " + e.getMessage());
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("nmodal " + args.pipeline().getFileName())
                .getOrCreate();
        int status = 0;
        try {
            run(spark, args, System.out::println);
        } catch (InvalidInputException e) {
            System.err.println("nmodal-spark: " + e.getMessage());
            status = 2;
        } catch (IOException e) {
            System.err.println("nmodal-spark: " + e.getMessage());
            status = 1;
        } finally {
            spark.stop();
        }
        System.exit(status);
    }

    /** Runs the steps with an existing session (tests and notebooks call this). */
    public static Summary run(SparkSession spark, Args args, Consumer<String> out) throws IOException {
        if (!Files.isRegularFile(args.pipeline())) {
            throw new InvalidInputException("no such pipeline file: " + args.pipeline());
        }
        PipelineFile pipeline = PipelineFile.read(args.pipeline());
        Files.createDirectories(args.out());
        RuntimeSettings runtime = RuntimeSettings.of(pipeline.spark);
        try (Writer runLog = Files.newBufferedWriter(args.out().resolve("spark.log"), StandardCharsets.UTF_8)) {
            Consumer<String> log = line -> {
                out.accept(line);
                try {
                    runLog.write(java.time.LocalTime.now().withNano(0) + " " + line + "\n");
                    runLog.flush();
                } catch (IOException e) {
                    // the console still has it
                }
            };
            // the driver's runtime checks the file with the single-machine rules before any executor starts
            EmbeddedRuntime nmodal = runtime.runtime();
            Path checked = pipeline.writeFor(args.out().resolve("pipeline.json"), args.data());
            var spec = nmodal.pipelines().validate(checked, null);
            if (!spec.dataFormat().equals("posts")) {
                throw new InvalidInputException(args.pipeline().getFileName() + ": data.format '" + spec.dataFormat()
                        + "': nmodal-spark encodes post data sets (a feature table needs no cluster: runtime/nmodal run)");
            }
            EncodeStep.Input input = EncodeStep.Input.of(args.data() != null ? args.data() : pipeline.dataPath(),
                    pipeline.spark.mediaRoot());
            EncodeStep.Result encoded = null;
            RunResult trained = null;
            List<ClassifyStep.Result> classified = new ArrayList<>();
            long predictions = 0;
            // a serving version scores on the executors by itself; the MLlib models score the encoded features
            Path version = args.steps().contains("predict") ? PredictModel.version(nmodal, spec.id(), args) : null;
            // opened here, so that a version of another pipeline fails before any job
            StoredModel stored = version == null ? null : nmodal.serving().open(version, spec);
            if (args.steps().contains("encode") || (args.steps().contains("predict") && version == null)) {
                encoded = EncodeStep.run(spark, pipeline, input, runtime, args.out(), log);
            }
            if (args.steps().contains("train")) {
                trained = TrainStep.run(spark, pipeline, input, nmodal, args.out(), log);
            }
            if (args.steps().contains("classify")) {
                classified = ClassifyStep.run(spark, pipeline, args.out(), log);
            }
            if (version != null) {
                predictions = PredictModel.run(spark, pipeline, input, runtime, stored, checked, version, args.out(),
                        log);
            } else if (args.steps().contains("predict")) {
                String c = args.classifier() != null ? args.classifier() : pipeline.spark.classifiers().get(0);
                predictions = PredictStep.run(spark, pipeline, args.model().toAbsolutePath().normalize(), c,
                        args.out(), log);
            }
            return new Summary(encoded == null ? 0 : encoded.posts(), encoded == null ? 0 : encoded.features(),
                    encoded == null ? 0 : encoded.errors(), encoded == null ? 0 : encoded.seconds(),
                    encoded == null ? 0 : encoded.runtimeStarts(), encoded == null ? 0 : encoded.runtimeStartMillis(),
                    trained == null ? null : trained.folder(), classified.stream().map(c -> new Metrics(c.task(),
                            c.classifier(), c.accuracy(), c.macroF1())).toList(), predictions);
        }
    }
}
