package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.data.Post;
import org.nmodal.api.media.MediaWriter;
import org.nmodal.api.metadata.MetadataAdapter;
import org.nmodal.api.serving.Answer;
import org.nmodal.api.serving.Scores;
import org.nmodal.api.serving.ServedPipeline;
import org.nmodal.api.serving.ServingService;
import org.nmodal.data.PostsReader;
import org.nmodal.demo.DemoGenerator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A pipeline trained with metadata adapters is served with them: the posted JSON's {@code meta} goes through the same
 * adapters and encoders as the training posts did, so a prediction uses every stream the model was trained on and
 * equals the model's score of the same post read from the data; a post lacking a field misses that stream, and meta
 * of the wrong JSON type is a bad request naming the field.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class AdapterServingTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    ServingService serving;

    @InjectService(timeout = 30_000)
    MediaWriter writer;

    @TempDir
    Path dir;

    @Test
    void aServedPipelineAdaptsThePostedMetaAsTrainingDid() throws Exception {
        Path load = Path.of(context.getProperty("felix.fileinstall.dir"));
        Path jar = Path.of(context.getProperty("nmodal.itest.adapters"));
        Files.createDirectories(load);
        Path data = dir.resolve("posts");
        DemoGenerator.generate(data, new DemoGenerator.Settings(80, 3, 0, 13), writer, line -> { });
        Path file = dir.resolve("served-meta.json");
        Files.writeString(file, "{\"id\": \"served-meta\", \"data\": {\"format\": \"posts\", \"path\": \"posts\"},"
                + "\"encoders\": {\"text\": \"minilm\"},"
                + "\"adapters\": {\"caption\": {\"adapter\": \"caption\", \"encoder\": \"minilm\"},"
                + " \"when\": {\"adapter\": \"time\"}, \"who\": \"account\"},"
                + "\"projection\": {\"dim\": 16}, \"classifiers\": [\"logistic\"], \"tasks\": [\"stance\"],"
                + "\"train\": {\"epochs\": 2, \"batch\": 16}}", StandardCharsets.UTF_8);
        ServiceTracker<MetadataAdapter, MetadataAdapter> tracker = new ServiceTracker<>(context,
                FrameworkUtil.createFilter("(&(objectClass=" + MetadataAdapter.class.getName() + ")(nmodal.name=account))"),
                null);
        tracker.open();
        Path dropped = load.resolve("nmodal.metadata.jar");
        try {
            Path staged = load.resolveSibling("staged-metadata-serving.jar");
            Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
            Files.move(staged, dropped, StandardCopyOption.ATOMIC_MOVE);
            assertNotNull(tracker.waitForService(15_000), "the dropped adapters did not appear within 15 s");
            Thread.sleep(500); // the bundle's other adapters register in the same activation

            List<String> log = new ArrayList<>();
            ServedPipeline served = serving.serve(file, null, log::add);
            assertEquals(List.of("text", "caption", "when", "who"), served.current().modalities(), log.toString());

            List<String> lines = Files.readAllLines(data.resolve("posts.jsonl")).stream().filter(l -> !l.isBlank())
                    .toList();
            List<Post> posts = PostsReader.read(data, false).posts();
            String withCaption = null;
            int compared = 0;
            for (int i = 0; i < lines.size() && compared < 8; i++) {
                JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
                if (!o.get("split").getAsString().equals("test")) {
                    continue;
                }
                Answer a = serving.predict("served-meta", lines.get(i));
                Scores s = serving.score("served-meta", List.of(posts.get(i)), "stance");
                for (int c = 0; c < s.classes().size(); c++) {
                    assertEquals(s.probabilities()[0][c], a.probabilities().get("stance").get(s.classes().get(c)).doubleValue(),
                            1e-5, "post " + o.get("id") + ": served as the model scores it from the data");
                }
                boolean caption = o.getAsJsonObject("meta").has("caption");
                assertEquals(caption ? List.of("text", "caption", "when", "who") : List.of("text", "when", "who"),
                        a.modalities(), "post " + o.get("id"));
                if (caption && withCaption == null) {
                    withCaption = lines.get(i);
                }
                compared++;
            }
            assertTrue(compared >= 4, "test posts compared: " + compared);
            assertNotNull(withCaption, "no test post with a caption");

            // a post lacking fields misses those streams: an answer, not an error
            JsonObject only = JsonParser.parseString(withCaption).getAsJsonObject();
            only.remove("text");
            only.getAsJsonObject("meta").remove("timestamp");
            Answer partial = serving.predict("served-meta", only.toString());
            assertEquals(List.of("caption", "who"), partial.modalities(), partial.toString());
            assertTrue(partial.skipped().isEmpty(), partial.skipped().toString());

            // meta of the wrong JSON type: one line naming the field (the REST layer answers 400)
            JsonObject bad = JsonParser.parseString(withCaption).getAsJsonObject();
            bad.getAsJsonObject("meta").add("caption", new JsonObject());
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> serving.predict("served-meta", bad.toString()));
            assertTrue(e.getMessage().contains("meta.caption: must be a string") && !e.getMessage().contains("\n"),
                    e.getMessage());
            JsonObject tags = JsonParser.parseString(withCaption).getAsJsonObject();
            tags.getAsJsonObject("meta").addProperty("hashtags", "#one");
            e = assertThrows(InvalidInputException.class, () -> serving.predict("served-meta", tags.toString()));
            assertTrue(e.getMessage().contains("meta.hashtags: must be a list of strings"), e.getMessage());
        } finally {
            serving.unserve("served-meta");
            Files.deleteIfExists(dropped);
            // gone before the next test starts (and before the framework stops under FileInstall's feet)
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline && tracker.getService() != null) {
                Thread.sleep(100);
            }
            tracker.close();
        }
    }
}
