package org.nmodal.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of the module graph, checked on the source tree so they stay true: data crosses modules only through
 * exported packages (no module, test or benchmark imports another module's {@code .internal} package), no package
 * lives in two modules, the bundles depend on each other without a cycle, and no bundle outgrows its room.
 */
class ArchitectureTest {
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(org\\.nmodal\\.[\\w.]+)\\s*;",
            Pattern.MULTILINE);
    /** A fully qualified use of an internal package in code (an import, or a name written out in full). */
    private static final Pattern INTERNAL = Pattern.compile("\\b(org\\.nmodal\\.[\\w.]*?\\.internal)\\.[A-Za-z]");
    /** About 1,500 lines of main code per bundle, as agreed when the pipeline bundle was taken apart. */
    private static final int MAX_MAIN_LINES = 1_600;

    /** A module: a folder with a pom.xml and Java sources. */
    record Module(String name, Path dir) {}

    private static final List<Module> MODULES = new ArrayList<>();
    /** Package to the modules declaring it, from main and test sources. */
    private static final Map<String, Set<String>> OWNERS = new TreeMap<>();

    @BeforeAll
    static void scan() throws IOException {
        Path root = Path.of(System.getProperty("nmodal.root", "..")).toAbsolutePath().normalize();
        for (String group : List.of("bundles", "itest-bundles", "features", "examples")) {
            Path g = root.resolve(group);
            if (Files.isDirectory(g)) {
                try (Stream<Path> s = Files.list(g)) {
                    s.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).sorted()
                            .forEach(d -> MODULES.add(new Module(d.getFileName().toString(), d)));
                }
            }
        }
        for (String single : List.of("bench", "itest", "runtime", "embed", "spark")) {
            if (Files.isRegularFile(root.resolve(single).resolve("pom.xml"))) {
                MODULES.add(new Module(single, root.resolve(single)));
            }
        }
        assertTrue(MODULES.size() > 10, "found the modules under " + root + ": " + MODULES);
        for (Module m : MODULES) {
            for (Path f : javaFiles(m.dir().resolve("src"))) {
                Matcher p = PACKAGE.matcher(Files.readString(f));
                if (p.find()) {
                    OWNERS.computeIfAbsent(p.group(1), k -> new TreeSet<>()).add(m.name());
                }
            }
        }
    }

    @Test
    void noModuleImportsAnotherModulesInternalPackage() throws IOException {
        List<String> leaks = new ArrayList<>();
        for (Module m : MODULES) {
            for (Path f : javaFiles(m.dir().resolve("src"))) {
                for (String line : Files.readAllLines(f)) {
                    String code = line.strip();
                    if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) {
                        continue;
                    }
                    // component names in strings (what Declarative Services reports) are not references
                    Matcher i = INTERNAL.matcher(code.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\""));
                    while (i.find()) {
                        String pkg = i.group(1);
                        if (!OWNERS.getOrDefault(pkg, Set.of()).contains(m.name())) {
                            leaks.add(m.dir().relativize(f) + " in " + m.name() + " uses " + pkg);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), leaks, "modules must use exported, versioned packages only");
    }

    @Test
    void noPackageLivesInTwoModules() {
        Map<String, Set<String>> split = new TreeMap<>();
        OWNERS.forEach((pkg, owners) -> {
            if (owners.size() > 1) {
                split.put(pkg, owners);
            }
        });
        assertEquals(Map.of(), split, "split packages");
    }

    @Test
    void theBundlesDependOnEachOtherWithoutACycle() throws IOException {
        Map<String, Set<String>> uses = new HashMap<>();
        for (Module m : MODULES) {
            if (!m.dir().getParent().getFileName().toString().equals("bundles")) {
                continue;
            }
            Set<String> to = new TreeSet<>();
            for (Path f : javaFiles(m.dir().resolve("src/main"))) {
                Matcher i = IMPORT.matcher(Files.readString(f));
                while (i.find()) {
                    for (String owner : OWNERS.getOrDefault(packageOf(i.group(1)), Set.of())) {
                        if (!owner.equals(m.name())) {
                            to.add(owner);
                        }
                    }
                }
            }
            uses.put(m.name(), to);
        }
        for (String start : uses.keySet()) {
            List<String> cycle = cycleFrom(start, start, uses, new ArrayList<>(List.of(start)), new TreeSet<>());
            assertEquals(null, cycle, "a cycle in the bundle graph");
        }
    }

    @Test
    void noBundleOutgrowsItsRoom() throws IOException {
        Map<String, Long> big = new TreeMap<>();
        for (Module m : MODULES) {
            long lines = 0;
            for (Path f : javaFiles(m.dir().resolve("src/main"))) {
                lines += Files.readAllLines(f).stream().filter(l -> !l.isBlank()).count();
            }
            // the API bundle is interfaces, value types and their javadoc; its growth is governed by the baseline
            // (every addition a versioned, reviewed change), not by this rule, which keeps implementations apart
            if (lines > MAX_MAIN_LINES && m.dir().getParent().getFileName().toString().equals("bundles")
                    && !m.name().equals("nmodal.api")) {
                big.put(m.name(), lines);
            }
        }
        assertEquals(Map.of(), big, "bundles over " + MAX_MAIN_LINES + " non-blank lines of main code");
    }

    @Test
    void theReadmesConfigurationPidsAreTheOnesTheCodeReadsAndTheItestDrops() throws IOException {
        Path root = Path.of(System.getProperty("nmodal.root", "..")).toAbsolutePath().normalize();
        TreeSet<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("^\\| `(nmodal\\.[\\w.-]+)`", Pattern.MULTILINE)
                .matcher(Files.readString(root.resolve("README.md")));
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertTrue(documented.size() > 8, "the README's Configuration table: " + documented);
        StringBuilder main = new StringBuilder();
        for (Module m : MODULES) {
            for (Path f : javaFiles(m.dir().resolve("src/main"))) {
                main.append(Files.readString(f));
            }
        }
        TreeSet<String> unread = new TreeSet<>();
        for (String pid : documented) {
            if (main.indexOf("\"" + pid + "\"") < 0) {
                unread.add(pid);
            }
        }
        assertEquals(new TreeSet<>(), unread, "README PIDs that no main code names");
        TreeSet<String> dropped = new TreeSet<>();
        String test = Files.readString(root.resolve("itest/src/main/java/org/nmodal/itest/DocumentedPidsTest.java"));
        // the PIDs are listed in the test's static initialiser
        int from = test.indexOf("static {");
        String list = test.substring(from, test.indexOf("\n    }\n", from));
        Matcher lit = Pattern.compile("\"(nmodal\\.[\\w.-]+)\"").matcher(list);
        while (lit.find()) {
            dropped.add(lit.group(1));
        }
        assertEquals(documented, dropped, "the integration test drops every documented PID, and no other");
    }

    private static List<String> cycleFrom(String start, String at, Map<String, Set<String>> uses, List<String> path,
            Set<String> seen) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> c = new ArrayList<>(path);
                c.add(start);
                return c;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> c = cycleFrom(start, next, uses, path, seen);
                if (c != null) {
                    return c;
                }
                path.remove(path.size() - 1);
            }
        }
        return null;
    }

    /** The package of an imported name: the prefix before the first capitalised segment. */
    private static String packageOf(String imported) {
        StringBuilder b = new StringBuilder();
        for (String part : imported.split("\\.")) {
            if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
                break;
            }
            b.append(b.length() == 0 ? "" : ".").append(part);
        }
        return b.toString();
    }

    private static List<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.toString().endsWith(".java") && !f.toString().contains("/target/")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
