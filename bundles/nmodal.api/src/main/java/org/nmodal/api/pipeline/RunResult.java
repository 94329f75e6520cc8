package org.nmodal.api.pipeline;

import java.nio.file.Path;

/**
 * A finished run.
 *
 * @param folder the run's folder (report.json, report.html, run.log, checkpoints)
 * @param summary the results table as printed by the console
 */
public record RunResult(Path folder, String summary) {}
