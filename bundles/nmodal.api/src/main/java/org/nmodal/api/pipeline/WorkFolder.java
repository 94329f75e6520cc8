package org.nmodal.api.pipeline;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The layout of nmodal's work folder, in one place: runs, trained model versions, the feature cache and broadening
 * lists. Ids are checked by {@link PipelineService}, so every path stays inside the root.
 *
 * @param root the work folder
 */
public record WorkFolder(Path root) {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** Folder of the finished runs. */
    public Path runs() {
        return root.resolve("runs");
    }

    /** A new run's folder: {@code runs/<id>-<time>}. */
    public Path newRun(String pipeline, LocalDateTime time) {
        return runs().resolve(pipeline + "-" + time.format(STAMP));
    }

    /** Stored model versions of one pipeline: {@code trained/<id>}. */
    public Path trained(String pipeline) {
        return root.resolve("trained").resolve(pipeline);
    }

    /** One stored model version: {@code trained/<id>/v<N>}. */
    public Path version(String pipeline, int number) {
        return trained(pipeline).resolve("v" + number);
    }

    /** The feature cache. */
    public Path cache() {
        return root.resolve("cache");
    }

    /** Default file of a broadening list: {@code broaden/<id>-<class>.jsonl}. */
    public Path broadening(String pipeline, String positiveClass) {
        return root.resolve("broaden").resolve(pipeline + "-" + positiveClass + ".jsonl");
    }
}
