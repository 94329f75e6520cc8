package org.nmodal.djl;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Model files a bundle carries, copied out once into the work folder: ONNX Runtime loads models from files, not from
 * bundle entries. One folder per model and bundle version; a stamp file records the install time of the bundle the
 * copies came from, so a bundle updated under the same version (a rebuilt snapshot whose model kept its size) gets
 * fresh copies instead of stale ones. Each file is written beside its final name and moved, so a crash never leaves
 * half a model.
 */
public final class BundledModels {
    private BundledModels() {}

    /**
     * The folder holding the given entries of the calling bundle.
     *
     * @param folder a name for the copies (the model's name)
     * @param entryDir the folder of the entries inside the bundle, e.g. {@code model}
     * @param files the entries' file names
     * @throws IOException naming the bundle and the entry that is missing
     */
    public static Path extract(BundleContext context, String folder, String entryDir, List<String> files)
            throws IOException {
        Bundle bundle = context.getBundle();
        String work = context.getProperty("nmodal.work");
        File base = work != null ? new File(work, "models") : context.getDataFile("models");
        Path dir = base.toPath().resolve(folder + "-" + bundle.getVersion());
        Files.createDirectories(dir);
        Path stamp = dir.resolve(".installed");
        String installed = Long.toString(bundle.getLastModified());
        boolean current = Files.isRegularFile(stamp) && Files.readString(stamp).equals(installed);
        for (String name : files) {
            URL entry = bundle.getEntry(entryDir + "/" + name);
            if (entry == null) {
                throw new IOException("bundle " + bundle.getSymbolicName() + " lacks " + entryDir + "/" + name);
            }
            Path target = dir.resolve(name);
            long size = entry.openConnection().getContentLengthLong();
            if (current && Files.isRegularFile(target) && (size < 0 || Files.size(target) == size)) {
                continue;
            }
            Path tmp = Files.createTempFile(dir, name, ".part");
            try (InputStream in = entry.openStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        if (!current) {
            Path tmp = Files.createTempFile(dir, "installed", ".part");
            Files.writeString(tmp, installed);
            Files.move(tmp, stamp, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }
}
