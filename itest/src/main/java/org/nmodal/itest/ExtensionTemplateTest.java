package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.media.MediaWriter;
import org.nmodal.demo.DemoGenerator;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * examples/extension-template, built by the invoker plugin against the API built here, dropped into the load folder:
 * its four components appear in nmodal:components and a pipeline uses every one of them.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class ExtensionTemplateTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    CommandProcessor processor;

    @InjectService(timeout = 30_000)
    MediaWriter writer;

    @TempDir
    Path dir;

    @Test
    void theTemplateBundleDropsInAndAPipelineUsesAllItsParts() throws Exception {
        Path jar = Path.of(context.getProperty("nmodal.itest.extension"));
        assertTrue(Files.isRegularFile(jar), "the template was not built: " + jar);
        Path load = Path.of(context.getProperty("felix.fileinstall.dir"));
        Path target = load.resolve("nmodal-extension-example.jar");
        Path staged = load.resolveSibling("staged-extension.jar");
        Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        try {
            String components = "";
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                components = Gogo.run(processor, "nmodal:components");
                if (List.of("word-stats", "example-margin", "example-max", "nearest-centroid").stream()
                        .allMatch(components::contains)) {
                    break;
                }
                Thread.sleep(200);
            }
            for (String name : List.of("word-stats", "example-margin", "example-max", "nearest-centroid")) {
                assertTrue(components.contains(name), name + " not in nmodal:components:\n" + components);
            }
            assertTrue(components.contains("nmodal-extension-example"), "the bundle is named:\n" + components);

            Path data = dir.resolve("data");
            DemoGenerator.generate(data, new DemoGenerator.Settings(120, 3, 0, 13), writer, line -> { });
            Path file = dir.resolve("extension.json");
            Files.writeString(file, "{\"id\":\"extension\",\"data\":{\"format\":\"posts\",\"path\":\"data\"},"
                    + "\"encoders\":{\"text\":\"word-stats\",\"image\":\"image-classic\"},\"projection\":{\"dim\":16},"
                    + "\"loss\":{\"name\":\"example-margin\",\"margin\":0.3},\"fusion\":\"example-max\","
                    + "\"classifiers\":[\"nearest-centroid\"],\"tasks\":[\"account\"],"
                    + "\"train\":{\"epochs\":5,\"batch\":32,\"seed\":3}}");
            Path out = dir.resolve("out");
            Gogo.run(processor, "nmodal:run --out \"" + out + "\" \"" + file + "\"");
            JsonObject report = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
            double best = 0;
            int rows = 0;
            for (JsonElement e : report.getAsJsonArray("results")) {
                JsonObject r = e.getAsJsonObject();
                assertEquals("nearest-centroid", r.get("classifier").getAsString());
                best = Math.max(best, r.get("accuracy").getAsDouble());
                rows++;
            }
            assertEquals(6, rows, "3 modality subsets x 2 feature kinds");
            // 3 accounts: chance is 1/3; each account has its own words and colours
            assertTrue(best > 0.6, "best account accuracy " + best);
            assertTrue(report.toString().contains("\"bundle\":\"nmodal-extension-example\""),
                    "the provenance names the extension bundle");
        } finally {
            Files.deleteIfExists(target);
        }
    }
}
