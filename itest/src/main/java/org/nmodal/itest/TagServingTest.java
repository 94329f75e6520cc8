package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.media.MediaWriter;
import org.nmodal.demo.DemoGenerator;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * Hashtag recommendation served: a small demo data set with a {@code recommend} block is served, then asked over
 * REST ({@code POST /api/pipelines/{id}/recommend}) and through the console ({@code nmodal:tags},
 * {@code nmodal:similar-tags}); a post with no usable input is a 400 with one line.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class TagServingTest {
    private static final Pattern REST = Pattern.compile("REST: POST (http://[^ ]+)/api/pipelines/");

    @InjectService(timeout = 30_000)
    CommandProcessor processor;

    @InjectService(timeout = 30_000)
    ConfigurationAdmin configurations;

    @InjectService(timeout = 30_000)
    MediaWriter writer;

    @TempDir
    Path dir;

    @Test
    void recommendsTagsOverRestAndTheConsole() throws Exception {
        Served served = serveTags("tagserved", "");
        String url = served.url();
        List<JsonObject> posts = served.testPosts();
        assertTrue(posts.size() >= 10, "test posts: " + posts.size());
        try {
            HttpClient http = HttpClient.newHttpClient();
            // the work folder keeps the versions of earlier runs (another data folder): the number may be above 1
            String version = null;
            int hits = 0;
            for (JsonObject post : posts) {
                HttpResponse<String> r = post(http, url + "?k=5", post.toString());
                assertEquals(200, r.statusCode(), r.body());
                JsonObject a = JsonParser.parseString(r.body()).getAsJsonObject();
                if (version == null) {
                    version = a.get("version").getAsString();
                    assertTrue(version.matches("v[0-9]+"), version);
                }
                assertEquals(version, a.get("version").getAsString());
                JsonArray tags = a.getAsJsonArray("tags");
                assertEquals(5, tags.size(), r.body());
                List<String> truth = post.getAsJsonObject("meta").getAsJsonArray("hashtags").asList().stream()
                        .map(JsonElement::getAsString).toList();
                boolean hit = false;
                for (JsonElement t : tags) {
                    hit |= truth.contains(t.getAsJsonObject().get("tag").getAsString());
                }
                hits += hit ? 1 : 0;
            }
            // a sanity bar for the served path (the learning itself is measured by the unit tests and the run report):
            // the theme tag is written in every demo text, so at least half the posts find a true tag in their top 5
            assertTrue(hits >= 0.5 * posts.size(), hits + " of " + posts.size() + " test posts hit in the top 5");

            HttpResponse<String> empty = post(http, url, "{\"id\": \"nothing\"}");
            assertEquals(400, empty.statusCode(), empty.body());
            String error = JsonParser.parseString(empty.body()).getAsJsonObject().get("error").getAsString();
            assertTrue(error.contains("no usable input") && !error.contains("\n"), error);
            assertEquals(400, post(http, url + "?k=zero", posts.get(0).toString()).statusCode());

            Path one = dir.resolve("one.json");
            Files.writeString(one, posts.get(0).toString());
            String console = Gogo.run(processor, "nmodal:tags -k 3 tagserved \"" + one + "\"");
            assertTrue(console.startsWith("tagserved " + version + " from "), console);
            assertEquals(3, console.lines().filter(l -> l.strip().startsWith("#")).count(), console);
            String theme = posts.get(0).getAsJsonObject("labels").get("account").getAsString();
            String similar = Gogo.run(processor, "nmodal:similar-tags -k 4 tagserved \"#" + theme + "\"");
            assertEquals(4, similar.lines().filter(l -> l.strip().startsWith("#")).count(), similar);
            assertTrue(similar.lines().noneMatch(l -> l.strip().startsWith("#" + theme + " ")), similar);
            Exception unknown = assertThrows(Exception.class,
                    () -> Gogo.run(processor, "nmodal:similar-tags tagserved no-such-tag"));
            assertTrue(String.valueOf(unknown.getMessage()).contains("is not among the"), unknown.getMessage());
            Gogo.run(processor, "nmodal:unserve tagserved");
        } finally {
            served.port().delete();
        }
    }

    /**
     * Served late ({@code "serve": "late"}): one mapping per modality, a post's tag scores averaged over the
     * modalities it has, so a post with the image alone is answered from the image's mapping.
     */
    @Test
    void servedLateAPostIsAnsweredFromTheModalitiesItHas() throws Exception {
        Served served = serveTags("taglate", ",\"serve\":\"late\"");
        String url = served.url() + "?k=5";
        List<JsonObject> posts = served.testPosts();
        try {
            HttpClient http = HttpClient.newHttpClient();
            int hits = 0;
            for (JsonObject post : posts) {
                JsonObject a = JsonParser.parseString(post(http, url, post.toString()).body()).getAsJsonObject();
                List<String> truth = post.getAsJsonObject("meta").getAsJsonArray("hashtags").asList().stream()
                        .map(JsonElement::getAsString).toList();
                hits += a.getAsJsonArray("tags").asList().stream().anyMatch(t -> truth.contains(t.getAsJsonObject()
                        .get("tag").getAsString())) ? 1 : 0;
            }
            // the same sanity bar as the fused path: the theme tag is in every demo text
            assertTrue(hits >= 0.5 * posts.size(), hits + " of " + posts.size() + " test posts hit in the top 5");
            JsonObject imageOnly = posts.get(0).deepCopy();
            imageOnly.remove("text");
            HttpResponse<String> r = post(http, url, imageOnly.toString());
            assertEquals(200, r.statusCode(), r.body());
            JsonObject a = JsonParser.parseString(r.body()).getAsJsonObject();
            assertEquals("[\"image\"]", a.getAsJsonArray("modalities").toString(), r.body());
            assertEquals(5, a.getAsJsonArray("tags").size(), r.body());
            assertEquals(400, post(http, url, "{\"id\": \"nothing\"}").statusCode());
            Gogo.run(processor, "nmodal:unserve taglate");
        } finally {
            served.port().delete();
        }
    }

    /** A served pipeline's recommend URL, its test posts and the serving configuration to delete afterwards. */
    private record Served(String url, List<JsonObject> testPosts, Configuration port) {}

    /**
     * Serves a pipeline with a {@code recommend} block ({@code recommend} added to it) over 160 generated posts,
     * text and image, on a free port.
     */
    private Served serveTags(String id, String recommend) throws Exception {
        Path data = dir.resolve("data");
        DemoGenerator.generate(data, new DemoGenerator.Settings(160, 4, 0, 31), writer, line -> { });
        Path file = dir.resolve(id + ".json");
        Files.writeString(file, "{\"id\":\"" + id + "\",\"data\":{\"format\":\"posts\",\"path\":\"data\"},"
                + "\"encoders\":{\"text\":\"minilm\",\"image\":\"image-classic\"},\"projection\":{\"dim\":32},"
                + "\"loss\":{\"name\":\"nmodal-infonce\",\"temperature\":0.1},\"classifiers\":[\"logistic\"],"
                + "\"tasks\":[\"stance\"],\"recommend\":{\"minCount\":2,\"width\":16,\"epochs\":20,\"hidden\":64,"
                + "\"mappingEpochs\":60" + recommend + "},\"train\":{\"epochs\":4,\"batch\":32,\"seed\":5}}");
        Configuration port = configurations.getConfiguration("nmodal.serving", "?");
        port.update(new Hashtable<>(Map.of("port", 0)));
        String printed;
        try {
            printed = serve(file);
        } catch (Exception e) {
            port.delete();
            throw e;
        }
        Matcher m = REST.matcher(printed);
        assertTrue(m.find(), printed);
        List<JsonObject> posts = Files.readAllLines(data.resolve("posts.jsonl")).stream().filter(l -> !l.isBlank())
                .map(l -> JsonParser.parseString(l).getAsJsonObject())
                .filter(p -> p.get("split").getAsString().equals("test")).toList();
        return new Served(m.group(1) + "/api/pipelines/" + id + "/recommend", posts, port);
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The serving configuration has just changed, which restarts the commands for a moment. */
    private String serve(Path file) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return Gogo.run(processor, "nmodal:serve \"" + file + "\"");
            } catch (IllegalArgumentException e) {
                if (attempt > 20 || !String.valueOf(e.getMessage()).contains("Command not found")) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }
}
