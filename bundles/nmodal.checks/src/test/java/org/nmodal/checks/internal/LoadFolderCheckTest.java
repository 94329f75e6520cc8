package org.nmodal.checks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/** Files dropped into the load folder that FileInstall cannot use are named, one line each. */
class LoadFolderCheckTest {
    @TempDir
    Path dir;

    @Test
    void aTextJarAnEmptyJarAndAGarbageCfgAreNamed() throws Exception {
        Path text = Files.writeString(dir.resolve("x.jar"), "this is not a jar\n");
        Path empty = Files.createFile(dir.resolve("empty.jar"));
        Path garbage = Files.writeString(dir.resolve("nmodal.media.cfg"),
                "# limits\nmaxPixels=1000\nthis line is garbage\n\n!comment\n= no key\nlist=a,\\\n  b\n");
        Path plain = jar(dir.resolve("plain.jar"), null);
        Path bundle = jar(dir.resolve("good.jar"), "org.example.good");
        Path good = Files.writeString(dir.resolve("nmodal.djl.cfg"), "engines=PyTorch\npytorchThreads : 2\n");

        assertEquals(text + ": not a jar (zip) file, not a bundle; nothing installed", LoadFolderCheck.check(text));
        assertEquals(empty + ": an empty file (0 bytes), not a bundle; nothing installed", LoadFolderCheck.check(empty));
        assertEquals(garbage + ": 2 line(s) not key=value: line 3 'this line is garbage', line 6 '= no key' (such "
                + "lines become odd keys; fix or remove them)", LoadFolderCheck.check(garbage));
        assertTrue(LoadFolderCheck.check(plain).contains("without Bundle-SymbolicName"));
        assertNull(LoadFolderCheck.check(bundle));
        assertNull(LoadFolderCheck.check(good));

        // the watcher lists them (files settled for a second), sorted; nmodal:status and the dashboard show this list
        for (Path p : List.of(text, empty, garbage, plain, bundle, good)) {
            Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - 5000));
        }
        Files.writeString(dir.resolve("still-copying.jar"), "half"); // too young: not judged yet
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class},
                (p, m, args) -> m.getName().equals("getProperty") && "felix.fileinstall.dir".equals(args[0])
                        ? dir.toString() : null);
        LoadFolderCheck check = new LoadFolderCheck(context);
        try {
            check.scan();
            List<String> problems = check.problems();
            assertEquals(4, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith(empty.toString()), problems.toString());
            Files.delete(text);
            check.scan();
            assertEquals(3, check.problems().size(), "a removed file's problem goes with it");
        } finally {
            check.stop();
        }
    }

    private static Path jar(Path file, String symbolicName) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream j = new JarOutputStream(out, m)) {
            j.closeEntry();
        }
        return file;
    }
}
