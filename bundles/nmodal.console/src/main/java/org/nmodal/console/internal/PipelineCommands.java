package org.nmodal.console.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.nmodal.checks.LoadFolderProblems;
import org.nmodal.checks.ConfigurationRefusals;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.media.MediaWriter;
import org.nmodal.api.pipeline.EncoderHealth;
import org.nmodal.api.pipeline.PipelineService;
import org.nmodal.api.pipeline.PipelineSpec;
import org.nmodal.api.pipeline.RunResult;
import org.nmodal.api.serving.ServedPipeline;
import org.nmodal.api.serving.ServingService;
import org.nmodal.api.serving.VersionInfo;
import org.nmodal.demo.DemoGenerator;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Console commands for pipelines (scope nmodal). */
@Component(service = PipelineCommands.class, property = {"osgi.command.scope=nmodal",
        "osgi.command.function=run", "osgi.command.function=validate", "osgi.command.function=pipelines",
        "osgi.command.function=status", "osgi.command.function=demo"})
public final class PipelineCommands {
    private final PipelineService runner;
    private final MediaWriter writer;
    private final BundleContext context;
    private final ServingService serving;
    private final EncoderHealth health;
    @org.osgi.service.component.annotations.Reference(cardinality =
            org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    private volatile LoadFolderProblems loadFolder;

    /** Creates the commands. */
    @Activate
    public PipelineCommands(@Reference PipelineService runner, @Reference MediaWriter writer, BundleContext context,
            @Reference ServingService serving, @Reference EncoderHealth health) {
        this.health = health;
        this.runner = runner;
        this.serving = serving;
        this.writer = writer;
        this.context = context;
    }

    /** Generates the demo set if needed and runs the demo pipeline. */
    @Descriptor("generates the demo data set (once, in the work folder) and runs pipelines/demo-trimodal.json on it")
    public void demo(
            @Descriptor("number of posts to generate")
            @Parameter(names = {"-n", "--posts"}, absentValue = "2000") int posts,
            @Descriptor("output folder of the run (default: the work folder's runs/<id>-<time>)")
            @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("only generate the posts (print their folder), do not run the pipeline")
            @Parameter(names = {"-g", "--generate-only"}, presentValue = "true", absentValue = "false")
            boolean generateOnly) throws Exception {
        Path work = runner.work().root();
        Path data = work.resolve(posts == DemoGenerator.Settings.DEFAULT.posts() ? "demo" : "demo-" + posts);
        if (!Files.isRegularFile(data.resolve("posts.jsonl"))) {
            System.out.println("demo: generating " + posts + " posts in " + data + " ...");
            DemoGenerator.Settings d = DemoGenerator.Settings.DEFAULT;
            DemoGenerator.generate(data, new DemoGenerator.Settings(posts, d.accounts(), d.corrupt(), d.seed()), writer,
                    System.out::println);
        }
        if (generateOnly) {
            System.out.println("demo posts: " + data);
            return;
        }
        String dir = context.getProperty("nmodal.pipelines");
        if (dir == null) {
            throw new InvalidInputException("no pipelines folder (set the property nmodal.pipelines)");
        }
        run(data.toString(), out, false, Path.of(dir, "demo-trimodal.json").toString());
    }

    /** Runs a pipeline file. */
    @Descriptor("runs a pipeline: features (cached), projection heads, the modality subsets of evaluate.subsets evaluated, report")
    public void run(
            @Descriptor("data folder, instead of the file's data.path")
            @Parameter(names = {"-d", "--data"}, absentValue = "") String data,
            @Descriptor("output folder (default: the work folder's runs/<id>-<time>)")
            @Parameter(names = {"-o", "--out"}, absentValue = "") String out,
            @Descriptor("resume: the argument is the folder of a stopped run, which goes on from its last checkpoint")
            @Parameter(names = {"-r", "--resume"}, presentValue = "true", absentValue = "false") boolean resume,
            @Descriptor("pipeline file (JSON), or with --resume a run folder") String file) throws IOException {
        org.nmodal.api.pipeline.RunListener print = line -> {
            System.out.println(line);
            System.out.flush();
        };
        if (resume && !(data.isEmpty() && out.isEmpty())) {
            throw new InvalidInputException("nmodal:run --resume takes only the run folder: its data and output folder "
                    + "are the ones the run started with");
        }
        RunResult report = resume ? runner.resume(path(file), print)
                : runner.run(path(file), data.isEmpty() ? null : path(data), out.isEmpty() ? null : path(out), print);
        System.out.print(report.summary());
        System.out.println();
        System.out.println("report: " + report.folder().resolve("report.html"));
        System.out.println("        " + report.folder().resolve("report.json"));
    }

    /** Checks a pipeline file. */
    @Descriptor("checks a pipeline file against the components that are running")
    public void validate(@Descriptor("pipeline file (JSON)") String file) {
        PipelineSpec spec = runner.validate(path(file), null);
        System.out.println(spec.file().getFileName() + ": ok (pipeline " + spec.id() + ", modalities "
                + spec.modalities() + ", loss " + spec.loss() + ", fusion " + spec.fusion() + ")");
    }

    /** Lists the example pipelines. */
    @Descriptor("lists the pipeline files in the pipelines folder and whether each is valid here")
    public void pipelines() throws IOException {
        String dir = context.getProperty("nmodal.pipelines");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new InvalidInputException("no pipelines folder (set the property nmodal.pipelines)");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            String state;
            try {
                PipelineSpec spec = runner.validate(f, null);
                state = "ok      " + spec.id() + " " + spec.modalities();
            } catch (IllegalArgumentException e) {
                state = "invalid " + e.getMessage();
            }
            System.out.println(f.getFileName() + "  " + state);
        }
    }

    /** Prints what the runner is doing. */
    @Descriptor("prints what the pipeline runner is doing (epoch, evaluation progress) or did last, and each "
            + "served pipeline: its versions, the one answering, binding progress and recent events")
    public void status() {
        System.out.println("runner: " + runner.status().state());
        health.failures().values().forEach(f -> System.out.println("encoder " + f.encoder() + " misbehaved "
                + f.count() + " time(s), last at " + java.time.Instant.ofEpochMilli(f.at()) + ": " + f.reason()));
        String address = Http.address(context);
        Http.status(context).flatMap(h -> h.problem()).ifPresent(p -> System.out.println("http: " + p));
        var check = context.getServiceReference(ConfigurationRefusals.class);
        ConfigurationRefusals c = check == null ? null : context.getService(check);
        if (c != null) {
            c.refusals().forEach(r -> System.out.println("configuration " + r));
            context.ungetService(check);
        }
        LoadFolderProblems l = loadFolder;
        (l == null ? List.<String>of() : l.problems()).forEach(p -> System.out.println("load folder: " + p));
        for (ServedPipeline p : serving.pipelines()) {
            VersionInfo v = p.current();
            System.out.println("served " + p.id() + ": " + p.state() + ", answering with "
                    + (v == null ? "nothing yet" : p.id() + "/v" + v.number() + " " + v.modalities() + ", "
                            + v.answers() + " answers") + (address == null ? "" : ", " + address + "/api/pipelines/"
                            + p.id()));
            for (VersionInfo x : p.versions()) {
                System.out.println("  " + (v != null && x.number() == v.number() ? "* " : "  ") + x.summary());
            }
            for (String e : p.events()) {
                System.out.println("  " + e);
            }
        }
    }

    private static Path path(String p) {
        return Path.of(p).toAbsolutePath().normalize();
    }
}
