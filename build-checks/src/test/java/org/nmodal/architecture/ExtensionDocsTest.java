package org.nmodal.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What an outsider needs to build an extension is written down and true: the DJL version of the build is the one the
 * README and the template name, nmodal.djl exports DJL's packages at it, the API is published with a flattened pom,
 * and the template declares its parts with the API's property types.
 */
class ExtensionDocsTest {
    private static final Path ROOT = Path.of(System.getProperty("nmodal.root", "..")).toAbsolutePath().normalize();

    private static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path));
    }

    private static String djlVersion(String pom) throws IOException {
        Matcher m = Pattern.compile("<djl.version>([^<]+)</djl.version>").matcher(read(pom));
        assertTrue(m.find(), pom + " names no djl.version");
        return m.group(1);
    }

    @Test
    void theDjlVersionIsDocumentedAndExported() throws IOException {
        String djl = djlVersion("pom.xml");
        assertEquals(djl, djlVersion("examples/extension-template/pom.xml"), "the template builds against our DJL");
        assertTrue(read("README.md").contains("`ai.djl:api:" + djl + "`"), "README names ai.djl:api:" + djl);
        assertTrue(read("examples/extension-template/README.md").contains("`ai.djl:api:" + djl + "`"));
        assertTrue(read("bundles/nmodal.djl/bnd.bnd").contains("ai.djl.*;version=${djl.version}"),
                "nmodal.djl exports DJL's packages at its version");
    }

    @Test
    void theApiIsAStandaloneArtifact() throws IOException {
        String pom = read("bundles/nmodal.api/pom.xml");
        assertTrue(pom.contains("<artifactId>flatten-maven-plugin</artifactId>") && pom.contains("<updatePomFile>true"),
                "the API's installed pom is flattened (no parent)");
        String itest = read("itest/pom.xml");
        assertTrue(itest.contains("<goal>install-file</goal>") && !itest.contains("<goal>install</goal>"),
                "the template is built against the API jar alone");
        assertTrue(read("README.md").contains("mvn install:install-file -Dfile=nmodal.api-"));
    }

    @Test
    void theTemplateDeclaresItsPartsWithThePropertyTypes() throws IOException {
        List<Path> sources;
        try (Stream<Path> s = Files.walk(ROOT.resolve("examples/extension-template/src/main/java"))) {
            sources = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        int typed = 0;
        for (Path p : sources) {
            String code = Files.readString(p);
            assertFalse(code.contains("NModal.KIND +") || code.contains("NModal.NAME +"), p + " types properties by hand");
            if (Pattern.compile("@NModal(Encoder|Loss|Fusion|Classifier|Adapter)\\(").matcher(code).find()) {
                typed++;
            }
        }
        assertEquals(4, typed, "encoder, loss, fusion and classifier declared with property types");
    }
}
