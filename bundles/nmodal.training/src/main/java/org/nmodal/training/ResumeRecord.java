package org.nmodal.training;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import org.nmodal.api.InvalidInputException;

/**
 * What a run folder needs to be resumed ({@code resume.properties}): the pipeline file, the data folder given instead
 * of the file's, and the file's SHA-256, so a file edited since is refused rather than mixed with the old checkpoint.
 *
 * @param folder the run's folder
 * @param pipeline the pipeline file
 * @param data the data folder given instead of the file's, or null
 */
public record ResumeRecord(Path folder, Path pipeline, Path data) {
    static final String FILE = "resume.properties";

    /** Records how the run in {@code dir} was started (temporary file, then move). */
    public static void write(Path dir, Path pipeline, Path data) throws IOException {
        Properties p = new Properties();
        p.setProperty("pipeline", pipeline.toAbsolutePath().toString());
        if (data != null) {
            p.setProperty("data", data.toAbsolutePath().toString());
        }
        p.setProperty("sha256", sha256(pipeline));
        Path tmp = Files.createTempFile(dir, "resume", ".part");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "how this run started: runtime/nmodal run --resume <this folder> goes on with it");
            }
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The record of a stopped run; one line naming the folder when there is nothing to resume there. */
    public static ResumeRecord read(Path folder) {
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
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(f + ": unreadable (" + e.getMessage() + ")");
        }
        if (p.getProperty("pipeline") == null || p.getProperty("sha256") == null) {
            throw new InvalidInputException(f + ": unreadable (needs pipeline and sha256)");
        }
        Path pipeline = Path.of(p.getProperty("pipeline"));
        Path data = p.getProperty("data") == null ? null : Path.of(p.getProperty("data"));
        if (!Files.isRegularFile(pipeline)) {
            throw new InvalidInputException(folder + ": its pipeline file " + pipeline + " is gone");
        }
        try {
            if (!sha256(pipeline).equals(p.getProperty("sha256"))) {
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
