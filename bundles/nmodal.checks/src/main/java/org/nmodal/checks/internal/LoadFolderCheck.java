package org.nmodal.checks.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CodingErrorAction;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.nmodal.checks.LoadFolderProblems;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Says what is wrong with the files in the load folder that FileInstall cannot use: a {@code .jar} that is empty, not
 * a zip file or not a bundle, a {@code .cfg} with lines that are not {@code key=value}. FileInstall only logs those at
 * its debug level, so the runtime stayed up and silent. Checked every second; each new problem is logged once, and
 * {@code nmodal:status} and the dashboard list the current ones.
 */
@Component(service = LoadFolderProblems.class, immediate = true)
public final class LoadFolderCheck implements LoadFolderProblems {
    private static final System.Logger LOG = System.getLogger("nmodal.load");
    /** A file this young may still be being written (a copy that is not a move). */
    private static final long SETTLE_MS = 1000;
    private final Path folder;
    private final ScheduledExecutorService timer;
    private final Map<Path, Seen> seen = new ConcurrentHashMap<>();
    private volatile List<String> problems = List.of();
    private volatile boolean scanned;

    private record Seen(long size, long modified, String problem) {}

    /** Starts checking the folder FileInstall watches (none: nothing to check). */
    @Activate
    public LoadFolderCheck(BundleContext context) {
        String dir = context.getProperty("felix.fileinstall.dir");
        folder = dir == null ? null : Path.of(dir);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nmodal-load-folder-check");
            t.setDaemon(true);
            return t;
        });
        if (folder != null) {
            timer.scheduleWithFixedDelay(this::scan, 0, 1, TimeUnit.SECONDS);
        }
    }

    @Deactivate
    void stop() {
        timer.shutdownNow();
    }

    /** The current problems, one line each, naming the file (the first call looks, so a one-shot command sees them). */
    @Override
    public List<String> problems() {
        if (!scanned) {
            scan();
        }
        return problems;
    }

    synchronized void scan() {
        scanned = true;
        if (folder == null || !Files.isDirectory(folder)) {
            problems = List.of();
            return;
        }
        Map<Path, Seen> now = new LinkedHashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.{jar,cfg}")) {
            for (Path f : files) {
                try {
                    long size = Files.size(f);
                    long modified = Files.getLastModifiedTime(f).toMillis();
                    if (System.currentTimeMillis() - modified < SETTLE_MS) {
                        continue;
                    }
                    Seen before = seen.get(f);
                    Seen s = before != null && before.size() == size && before.modified() == modified ? before
                            : new Seen(size, modified, check(f));
                    if (s.problem() != null && s != before) {
                        LOG.log(System.Logger.Level.WARNING, "load folder: " + s.problem());
                    }
                    now.put(f, s);
                } catch (IOException e) {
                    // gone while we looked: FileInstall sees the same
                }
            }
        } catch (IOException e) {
            return;
        }
        seen.keySet().retainAll(now.keySet());
        seen.putAll(now);
        problems = now.values().stream().map(Seen::problem).filter(p -> p != null).sorted().toList();
    }

    /** What is wrong with one file of the load folder, as one line naming it, or null. */
    static String check(Path f) {
        String name = f.getFileName().toString();
        try {
            if (name.endsWith(".jar")) {
                return jar(f);
            }
            if (name.endsWith(".cfg")) {
                return cfg(f);
            }
        } catch (IOException e) {
            return f + ": unreadable (" + e.getMessage() + ")";
        }
        return null;
    }

    private static String jar(Path f) throws IOException {
        if (Files.size(f) == 0) {
            return f + ": an empty file (0 bytes), not a bundle; nothing installed";
        }
        Manifest m;
        try (JarFile jar = new JarFile(f.toFile())) {
            m = jar.getManifest();
        } catch (IOException e) {
            return f + ": not a jar (zip) file, not a bundle; nothing installed";
        }
        if (m == null || m.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
            return f + ": a jar without Bundle-SymbolicName in its manifest, not an OSGi bundle; nothing installed";
        }
        return null;
    }

    /** A line must be blank, a comment ({@code #}, {@code !}), {@code key=value}, {@code key:value} or continued. */
    private static String cfg(Path f) throws IOException {
        List<String> lines;
        try {
            lines = List.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(f))).toString().split("\r?\n|\r", -1));
        } catch (java.nio.charset.CharacterCodingException e) {
            return f + ": not UTF-8 text, not a configuration";
        }
        List<String> bad = new ArrayList<>();
        boolean continued = false;
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            boolean wasContinued = continued;
            continued = t.endsWith("\\") && !t.endsWith("\\\\");
            if (wasContinued || t.isEmpty() || t.startsWith("#") || t.startsWith("!")) {
                continue;
            }
            int eq = firstSeparator(t);
            if (eq <= 0 || !t.substring(0, eq).strip().matches("[A-Za-z0-9_.~:-]+")) {
                bad.add("line " + (i + 1) + " '" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "'");
            }
        }
        if (bad.isEmpty()) {
            return null;
        }
        return f + ": " + bad.size() + " line(s) not key=value: " + String.join(", ", bad.subList(0, Math.min(3,
                bad.size()))) + (bad.size() > 3 ? ", ..." : "") + " (such lines become odd keys; fix or remove them)";
    }

    private static int firstSeparator(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }

}
