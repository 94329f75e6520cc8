package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * A real bundle of misbehaving encoders (fails to activate, throws, wrong dimension, blocks) dropped into the load
 * folder: each is reported with its reason, pipelines that use them finish with their other modalities and name the
 * failing component, and a pipeline served meanwhile keeps answering.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class MisbehavingBundleTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    CommandProcessor processor;

    @InjectService(timeout = 30_000)
    MediaWriter writer;

    @TempDir
    Path dir;

    @Test
    void misbehavingEncodersAreReportedAndTheRuntimeGoesOn() throws Exception {
        Path data = dir.resolve("data");
        DemoGenerator.generate(data, new DemoGenerator.Settings(90, 3, 0, 17), writer, line -> { });
        Path steady = dir.resolve("steady.json");
        Files.writeString(steady, pipeline("steady", "minilm", ""));
        String served = Gogo.run(processor, "nmodal:serve \"" + steady + "\"");
        assertTrue(served.contains("serving steady"), served);
        Path post = dir.resolve("post.json");
        Files.writeString(post, Files.readAllLines(data.resolve("posts.jsonl")).get(0));

        Path load = Path.of(context.getProperty("felix.fileinstall.dir"));
        Path jar = Path.of(context.getProperty("nmodal.itest.dropin")).resolveSibling("nmodal.itest.misbehaving.jar");
        Path target = load.resolve("misbehaving.jar");
        Path staged = load.resolveSibling("staged-misbehaving.jar");
        Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        try {
            String components = "";
            long deadline = System.nanoTime() + 20_000_000_000L;
            // the four components of the bundle register one after the other
            while (System.nanoTime() < deadline && !List.of("bad-activation", "bad-blocks", "bad-dimension",
                    "bad-throws", "bad-declared").stream().allMatch(components::contains)) {
                Thread.sleep(200);
                components = Gogo.run(processor, "nmodal:components");
            }
            assertTrue(components.contains("encoder bad-activation failed: activation:"), components);
            assertTrue(components.contains("IllegalStateException: model file is corrupt (test bundle)"), components);
            // declared with @NModalEncoder(dimension = 64) but dimension() returns 8: listed as rejected, never used
            assertTrue(components.contains("encoder bad-declared failed: rejected: nmodal.dimension is 64 but "
                    + "dimension() returns 8"), components);

            for (String bad : List.of("bad-throws", "bad-dimension", "bad-blocks")) {
                Path file = dir.resolve(bad + ".json");
                Files.writeString(file, pipeline(bad, bad, ",\"encodeTimeoutMs\":1500"));
                Path out = dir.resolve("out-" + bad);
                long t0 = System.nanoTime();
                Gogo.run(processor, "nmodal:run --out \"" + out + "\" \"" + file + "\"");
                assertTrue((System.nanoTime() - t0) / 1e9 < 120, bad + ": the run did not wait for the encoder");
                JsonObject report = JsonParser.parseString(Files.readString(out.resolve("report.json")))
                        .getAsJsonObject();
                String errors = report.getAsJsonArray("errors").toString();
                assertTrue(errors.contains("encoder " + bad), bad + ": the report names the component: " + errors);
                // the image modality still carries the run; text, with no vector at all, is left out of it
                assertTrue(report.getAsJsonArray("results").size() > 0, bad + ": no results");
                assertTrue(errors.contains("the run goes on without text"), errors);
                // the served pipeline still answers, on its own encoders
                String answer = Gogo.run(processor, "nmodal:predict steady \"" + post + "\"");
                assertTrue(answer.contains("\"version\": \"v"), answer);
            }
            components = Gogo.run(processor, "nmodal:components");
            assertTrue(components.contains("encoder bad-throws failed: encode: encoder bad-throws failed: "
                    + "IllegalStateException: out of cheese (test bundle)"), components);
            assertTrue(components.contains("returned 5 values, it declares dimension 8"), components);
            assertTrue(components.contains("encoder bad-blocks did not answer within 1500 ms"), components);
            String status = Gogo.run(processor, "nmodal:status");
            assertTrue(status.contains("encoder bad-dimension misbehaved"), status);
        } finally {
            Files.deleteIfExists(target);
            Gogo.run(processor, "nmodal:unserve steady");
            // gone before the next test looks at the encoders
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (Gogo.run(processor, "nmodal:components").contains("bad-") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        }
    }

    private static String pipeline(String id, String textEncoder, String extra) {
        return "{\"id\":\"" + id + "\",\"data\":{\"format\":\"posts\",\"path\":\"data\"},"
                + "\"encoders\":{\"text\":\"" + textEncoder + "\",\"image\":\"image-classic\"},"
                + "\"projection\":{\"dim\":16},\"loss\":{\"name\":\"nmodal-infonce\",\"temperature\":0.1},"
                + "\"fusion\":\"concat\",\"classifiers\":[\"logistic\"],\"tasks\":[\"account\"],"
                + "\"train\":{\"epochs\":3,\"batch\":32,\"seed\":3}" + extra + "}";
    }
}
