package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.media.MediaWriter;
import org.nmodal.demo.DemoGenerator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The hot-swap scenario under load: a trimodal pipeline is served over REST while four clients post predictions
 * without pause; the audio feature is dropped into the load folder, bound, removed, three times; then the video
 * encoder is replaced by a higher-ranked instance of the same name. No request may fail or go unanswered, and every
 * answer names the version that served it.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class ServingScenarioTest {
    /** One client for status polls: a client per poll would leave a connection behind each time. */
    private static final HttpClient POLL = HttpClient.newHttpClient();
    private static final Pattern REST = Pattern.compile("REST: POST (http://[^ ]+)/api/pipelines/");

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    CommandProcessor processor;

    @InjectService(timeout = 30_000)
    ConfigurationAdmin configurations;

    @InjectService(timeout = 30_000)
    MediaWriter writer;

    @TempDir
    Path dir;

    @Test
    void servesWithoutAFailedRequestWhileModalitiesAndEncodersComeAndGo() throws Exception {
        Path data = dir.resolve("data");
        DemoGenerator.generate(data, new DemoGenerator.Settings(240, 4, 2, 21), writer, line -> { });
        Path file = dir.resolve("served.json");
        Files.writeString(file, "{\"id\":\"served\",\"data\":{\"format\":\"posts\",\"path\":\"data\"},"
                + "\"encoders\":{\"text\":\"minilm\",\"image\":\"image-classic\",\"video\":\"video-frames\"},"
                + "\"optionalModalities\":[\"audio\"],\"projection\":{\"dim\":32},"
                + "\"loss\":{\"name\":\"nmodal-infonce\",\"temperature\":0.1},\"fusion\":\"concat\","
                + "\"classifiers\":[\"logistic\"],\"tasks\":[\"stance\"],"
                + "\"train\":{\"epochs\":6,\"batch\":64,\"seed\":5}}");
        // the video encoder runs as a configured instance (ranking 0) so that a higher-ranked one can replace it later
        Configuration first = configurations.getFactoryConfiguration("nmodal.encoder.video.frames", "first", "?");
        first.update(new Hashtable<>(Map.of("frames", 8, "service.ranking", 0)));
        Configuration port = configurations.getConfiguration("nmodal.serving", "?");
        port.update(new Hashtable<>(Map.of("port", 0)));
        ServiceTracker<ModalityEncoder, ModalityEncoder> video = new ServiceTracker<>(context,
                FrameworkUtil.createFilter("(&(objectClass=" + ModalityEncoder.class.getName()
                        + ")(nmodal.name=video-frames))"), null);
        video.open();
        Configuration second = null;
        Path load = Path.of(context.getProperty("felix.fileinstall.dir"));
        Path audioJar = Path.of(context.getProperty("nmodal.itest.dropin")).resolveSibling("nmodal.encoder.audio.jar");
        Clients clients = null;
        try {
            waitFor(() -> video.getServiceReference() != null
                    && Integer.valueOf(0).equals(video.getServiceReference().getProperty("service.ranking")), 30,
                    "the configured video encoder instance");
            String printed = serveWithRetry(file);
            Matcher m = REST.matcher(printed);
            assertTrue(m.find(), printed);
            String base = m.group(1) + "/api/pipelines/served";
            List<String> posts = Files.readAllLines(data.resolve("posts.jsonl")).stream()
                    .filter(l -> !l.isBlank()).toList();
            Clients cl = new Clients(base + "/predict", posts, data);
            clients = cl;
            cl.start(4);

            for (int round = 1; round <= 3; round++) {
                Path staged = load.resolveSibling("staged-audio.jar");
                Files.copy(audioJar, staged, StandardCopyOption.REPLACE_EXISTING);
                Files.move(staged, load.resolve("nmodal.encoder.audio.jar"), StandardCopyOption.ATOMIC_MOVE);
                waitFor(() -> servingModalities(base).contains("audio"), 180, "round " + round + ": the 4-modal version");
                int before = cl.answered.get();
                waitFor(() -> cl.answered.get() > before + 8, 60, "answers from the 4-modal version");
                Files.delete(load.resolve("nmodal.encoder.audio.jar"));
                waitFor(() -> !servingModalities(base).contains("audio"), 60, "round " + round + ": back to three");
                int after = cl.answered.get();
                waitFor(() -> cl.answered.get() > after + 8, 60, "answers after the fallback");
            }
            assertEquals(2, cl.versions.size(), "answers from both versions: " + cl.versions);
            assertTrue(cl.withAudio.get() > 0, "some answers used audio");
            // the audio version was trained once and reused in the later rounds
            JsonObject status = get(base);
            assertEquals(2, status.getAsJsonArray("versions").size(), status.toString());

            // same modality, another instance: higher ranking takes new requests, the old one drains and leaves
            ServiceReference<ModalityEncoder> old = video.getServiceReference();
            second = configurations.getFactoryConfiguration("nmodal.encoder.video.frames", "second", "?");
            second.update(new Hashtable<>(Map.of("frames", 8, "service.ranking", 10)));
            waitFor(() -> video.size() == 2, 60, "the higher-ranked video encoder");
            int swapStart = cl.answered.get();
            waitFor(() -> cl.answered.get() > swapStart + 8, 60, "answers with two video encoders");
            first.delete();
            first = null;
            waitFor(() -> video.size() == 1 && video.getServiceReference() != old, 60, "the old instance leaving");
            int swapped = cl.answered.get();
            waitFor(() -> cl.answered.get() > swapped + 8, 60, "answers after the swap");
            assertEquals(10, video.getServiceReference().getProperty("service.ranking"));

            // the served version's provenance: components with their bundles and licences, data, seed, metrics
            String manifest = Gogo.run(processor, "nmodal:provenance served");
            assertTrue(manifest.contains("\"bundle\": \"nmodal.encoder.text\""), manifest);
            assertTrue(manifest.contains("\"modelOrigin\": \"sentence-transformers/all-MiniLM-L6-v2"), manifest);
            assertTrue(manifest.contains("\"licence\": \"Apache-2.0\""), manifest);
            assertTrue(manifest.contains("\"dataFingerprint\": \"sha256:"), manifest);
            assertTrue(manifest.contains("\"seed\": 5"), manifest);
            assertTrue(manifest.contains("\"stance.testAccuracy\""), manifest);

            cl.stop();
            assertEquals(List.of(), cl.failures, "failed requests");
            assertTrue(cl.answered.get() > 50, "answers: " + cl.answered.get());
            assertEquals(0, cl.notRunning.get(), "answers that found an encoder gone");
            System.out.println("scenario: " + cl.answered.get() + " answers, by version " + cl.versions);
            get(base).getAsJsonArray("events").forEach(e -> System.out.println("  " + e.getAsString()));
        } finally {
            if (clients != null) {
                clients.stop();
            }
            Files.deleteIfExists(load.resolve("nmodal.encoder.audio.jar"));
            Gogo.run(processor, "nmodal:unserve served");
            if (second != null) {
                second.delete();
            }
            if (first != null) {
                first.delete();
            }
            port.delete();
            video.close();
        }
    }

    /** The serving configuration may have just changed, which restarts the commands for a moment. */
    private String serveWithRetry(Path file) throws Exception {
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

    private static List<String> servingModalities(String base) {
        List<String> out = new ArrayList<>();
        get(base).getAsJsonArray("modalities").forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static JsonObject get(String url) {
        try {
            HttpResponse<String> r = POLL.send(HttpRequest.newBuilder(URI.create(url)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            return JsonParser.parseString(r.body()).getAsJsonObject();
        } catch (Exception e) {
            throw new IllegalStateException(url + ": " + e, e);
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not seen within " + seconds + " s");
            }
            Thread.sleep(100);
        }
    }

    /** Client threads posting predictions without pause; every failure is kept with its reason. */
    private static final class Clients {
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        final Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger withAudio = new AtomicInteger();
        final AtomicInteger notRunning = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final String url;
        private final List<String> posts;

        Clients(String url, List<String> posts, Path data) {
            this.url = url;
            this.posts = posts;
        }

        void start(int n) {
            for (int i = 0; i < n; i++) {
                int seed = i;
                Thread t = new Thread(() -> loop(seed), "client-" + i);
                t.start();
                threads.add(t);
            }
        }

        private void loop(int seed) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            Random r = new Random(seed);
            while (running.get()) {
                String post = posts.get(r.nextInt(posts.size()));
                try {
                    HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(post)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    JsonObject o = JsonParser.parseString(resp.body()).getAsJsonObject();
                    if (resp.statusCode() != 200 || !o.has("version")
                            || !o.get("version").getAsString().matches("v\\d+")) {
                        failures.add(resp.statusCode() + " " + resp.body());
                        continue;
                    }
                    versions.computeIfAbsent(o.get("version").getAsString(), k -> new AtomicInteger()).incrementAndGet();
                    String modalities = o.getAsJsonArray("modalities").toString();
                    if (modalities.contains("audio")) {
                        withAudio.incrementAndGet();
                    }
                    if (o.getAsJsonArray("skipped").toString().contains("is not running")) {
                        notRunning.incrementAndGet();
                    }
                    answered.incrementAndGet();
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(60_000);
            }
        }
    }
}
