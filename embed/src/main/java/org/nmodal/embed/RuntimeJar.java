package org.nmodal.embed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * The runtime's exported jar ({@code runtime/target/nmodal.jar}, a bnd executable jar) read as a bundle set: its
 * {@code launcher.properties} lists the bundles (under {@code jar/}), their start levels and the run properties of
 * {@code runtime/nmodal.bndrun}. The bundles are unpacked once per jar version into a shared folder (several
 * executor JVMs on one machine may race: each unpacks into its own temporary folder and one atomic move wins), and
 * installed from there by reference, so a start copies nothing.
 */
final class RuntimeJar {
    /** A bundle of the set: its unpacked file and start level. */
    record Entry(String symbolicName, Path file, int startLevel) {}

    final List<Entry> bundles;
    final Map<String, String> runProperties;

    private RuntimeJar(List<Entry> bundles, Map<String, String> runProperties) {
        this.bundles = bundles;
        this.runProperties = runProperties;
    }

    static RuntimeJar open(Path jar, Path unpackRoot) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + ": no such runtime jar (build it with 'mvn -B package' in the nmodal folder)");
        }
        Properties launch = new Properties();
        try (JarFile j = new JarFile(jar.toFile())) {
            ZipEntry p = j.getEntry("launcher.properties");
            if (p == null) {
                throw new IOException(jar + ": not an nmodal runtime jar (no launcher.properties)");
            }
            try (InputStream in = j.getInputStream(p)) {
                launch.load(in);
            }
        }
        String key = HexFormat.of().toHexDigits(Files.size(jar)) + "-"
                + HexFormat.of().toHexDigits(Files.getLastModifiedTime(jar).toMillis());
        Path dir = unpack(jar, unpackRoot.resolve(key), launch.getProperty("launch.bundles", ""));
        Map<String, Integer> levels = new LinkedHashMap<>();
        for (String clause : Headers.clauses(launch.getProperty("launch.runbundles.attrs", ""))) {
            String bsn = Headers.name(clause);
            String level = Headers.attribute(clause, "startlevel");
            levels.put(bsn, level == null ? 1 : Integer.parseInt(level));
        }
        List<Entry> bundles = new ArrayList<>();
        for (String path : launch.getProperty("launch.bundles", "").split(",")) {
            if (path.isBlank()) {
                continue;
            }
            Path file = dir.resolve(path.substring(path.lastIndexOf('/') + 1));
            String bsn = symbolicName(file);
            bundles.add(new Entry(bsn, file, levels.getOrDefault(bsn, 1)));
        }
        Map<String, String> run = new LinkedHashMap<>();
        for (String name : launch.stringPropertyNames()) {
            if (!name.startsWith("launch.")) {
                run.put(name, launch.getProperty(name));
            }
        }
        return new RuntimeJar(List.copyOf(bundles), run);
    }

    /** The bundle-symbolic-name of a bundle file, without its directives. */
    static String symbolicName(Path bundle) {
        try (JarFile j = new JarFile(bundle.toFile())) {
            Manifest m = j.getManifest();
            String bsn = m == null ? null : m.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null) {
                throw new IOException(bundle + ": not a bundle (no Bundle-SymbolicName)");
            }
            return Headers.name(bsn);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path unpack(Path jar, Path dir, String bundles) throws IOException {
        if (Files.isRegularFile(dir.resolve(".complete"))) {
            return dir;
        }
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".part");
        try (JarFile j = new JarFile(jar.toFile())) {
            for (String path : bundles.split(",")) {
                if (path.isBlank()) {
                    continue;
                }
                ZipEntry e = j.getEntry(path);
                if (e == null) {
                    throw new IOException(jar + ": lists " + path + " but does not hold it");
                }
                try (InputStream in = j.getInputStream(e)) {
                    Files.copy(in, tmp.resolve(path.substring(path.lastIndexOf('/') + 1)));
                }
            }
            Files.createFile(tmp.resolve(".complete"));
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException
                    | java.nio.file.DirectoryNotEmptyException raced) {
                // another JVM unpacked the same jar first: use its copy
            }
        } finally {
            deleteTree(tmp);
        }
        if (!Files.isRegularFile(dir.resolve(".complete"))) {
            throw new IOException(dir + ": bundles could not be unpacked");
        }
        return dir;
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder is harmless
        }
    }
}
