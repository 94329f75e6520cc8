package org.nmodal.assembly.internal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.nmodal.api.InvalidInputException;

/**
 * What a run folder needs to be resumed ({@code resume.json}): the pipeline file, the data folder given instead of
 * the file's, and the file's SHA-256, so a file edited since is refused rather than mixed with the old checkpoint.
 */
record ResumeRecord(Path folder, Path pipeline, Path data) {
    static final String FILE = "resume.json";

    static void write(Path dir, Path pipeline, Path data) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("pipeline", pipeline.toAbsolutePath().toString());
        if (data != null) {
            o.addProperty("data", data.toAbsolutePath().toString());
        }
        o.addProperty("sha256", sha256(pipeline));
        Path tmp = Files.createTempFile(dir, "resume", ".part");
        try {
            Files.writeString(tmp, o + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The record of a stopped run; one line naming the folder when there is nothing to resume there. */
    static ResumeRecord read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException(folder + ": no such run folder");
        }
        Path f = folder.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new InvalidInputException(folder + ": not a resumable run folder (no " + FILE + ")");
        }
        if (Files.exists(folder.resolve("report.json"))) {
            throw new InvalidInputException(folder + ": this run has finished (report.json is there); nothing to resume");
        }
        JsonObject o;
        try {
            o = JsonParser.parseString(Files.readString(f, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(f + ": unreadable (" + e.getMessage() + ")");
        }
        if (!o.has("pipeline") || !o.has("sha256")) {
            throw new InvalidInputException(f + ": unreadable (needs 'pipeline' and 'sha256')");
        }
        Path pipeline = Path.of(o.get("pipeline").getAsString());
        Path data = o.has("data") ? Path.of(o.get("data").getAsString()) : null;
        if (!Files.isRegularFile(pipeline)) {
            throw new InvalidInputException(folder + ": its pipeline file " + pipeline + " is gone");
        }
        try {
            if (!sha256(pipeline).equals(o.get("sha256").getAsString())) {
                throw new InvalidInputException(folder + ": the pipeline file " + pipeline + " changed since the run "
                        + "started; start a new run instead");
            }
        } catch (IOException e) {
            throw new InvalidInputException(pipeline + ": cannot read (" + e.getMessage() + ")");
        }
        return new ResumeRecord(folder, pipeline, data);
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
