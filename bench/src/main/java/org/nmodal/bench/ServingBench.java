package org.nmodal.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hot-swap scenario with timings, on the real launcher: {@code runtime/nmodal serve} the trimodal demo pipeline
 * on the 2,000 demo posts (own work folder, so every feature is extracted in this run), four clients posting
 * predictions without pause, the audio feature dropped into the load folder and removed, three times. Prints, per
 * round, drop -> encoder visible -> audio features extracted -> bound -> serving, the fallback time on removal, and
 * the clients' answers, failures and latency. The raw engine's part of a request is the encoders' own time, so the
 * latency is shown against a single-thread baseline measured before the load starts.
 */
final class ServingBench {
    /** One client for status polls: a client per poll would leave a connection behind each time. */
    private static final HttpClient POLL = HttpClient.newHttpClient();
    private static final Pattern REST = Pattern.compile("REST: POST (http://[^ ]+)/api/pipelines/");

    private ServingBench() {}

    static void run(Path root) throws Exception {
        Path data = root.resolve("runtime/work/demo");
        if (!Files.isRegularFile(data.resolve("posts.jsonl"))) {
            exec(root, "nmodal:demo --generate-only");
        }
        Path work = root.resolve("bench/target/serve-work");
        Path load = root.resolve("bench/target/serve-load");
        BootBench.deleteTree(work);
        BootBench.deleteTree(load);
        Files.createDirectories(load);
        Path audio = root.resolve("features/audio/target/feature/nmodal.encoder.audio.jar");
        Files.copy(root.resolve("features/audio/target/feature/nmodal.encoder.audio.melstats.cfg"),
                load.resolve("nmodal.encoder.audio.melstats.cfg"));
        ProcessBuilder pb = new ProcessBuilder(root.resolve("runtime/nmodal").toString(), "serve",
                root.resolve("pipelines/demo-trimodal.json").toString(), "--data", data.toString());
        pb.environment().put("NMODAL_WORK", work.toString());
        pb.environment().put("NMODAL_LOAD", load.toString());
        pb.redirectErrorStream(true);
        long start = System.nanoTime();
        Process server = pb.start();
        try {
            String base = awaitServing(server, root.resolve("bench/target/serve-output.log"));
            double startSeconds = (System.nanoTime() - start) / 1e9;
            String pipeline = base + "/api/pipelines/demo-trimodal";
            List<String> posts = Files.readAllLines(data.resolve("posts.jsonl")).stream().filter(l -> !l.isBlank())
                    .toList();
            double single = baseline(pipeline + "/predict", posts);
            Clients clients = new Clients(pipeline + "/predict", posts);
            clients.start(4);
            List<String> rows = new ArrayList<>();
            for (int round = 1; round <= 3; round++) {
                clients.phase = "round " + round + " binding";
                int before = bindings(pipeline).size();
                long dropped = System.currentTimeMillis();
                Path staged = load.resolve(".staged-audio.jar.tmp");
                Files.copy(audio, staged, StandardCopyOption.REPLACE_EXISTING);
                Files.move(staged, load.resolve("nmodal.encoder.audio.jar"), StandardCopyOption.ATOMIC_MOVE);
                JsonObject b = awaitBinding(pipeline, before, 600);
                clients.phase = "round " + round + " 4-modal";
                Thread.sleep(2000); // answers from the 4-modal version
                clients.phase = "round " + round + " removal";
                long removed = System.currentTimeMillis();
                Files.delete(load.resolve("nmodal.encoder.audio.jar"));
                long fallback = awaitModalities(pipeline, 3, 60) - removed;
                Thread.sleep(1000);
                rows.add(String.format(Locale.ROOT, "  round %d (%s)  visible %5d ms  features %6.1f s  bound %6.1f s  "
                        + "serving %6.1f s  fallback on removal %4d ms", round, b.get("how").getAsString(),
                        b.get("appeared").getAsLong() - dropped,
                        (b.get("featured").getAsLong() - dropped) / 1e3, (b.get("bound").getAsLong() - dropped) / 1e3,
                        (b.get("serving").getAsLong() - dropped) / 1e3, fallback));
            }
            clients.stop();
            System.out.println();
            System.out.println("serving: runtime/nmodal serve demo-trimodal (2,000 posts), 4 clients, audio dropped "
                    + "in and removed 3 times (times from the drop)");
            System.out.println(String.format(Locale.ROOT, "  serving after start                 %.1f s "
                    + "(features of 2,000 posts extracted, heads and classifier trained)", startSeconds));
            rows.forEach(System.out::println);
            System.out.println(String.format(Locale.ROOT, "  answers %d, failed %d, by version %s",
                    clients.answered.get(), clients.failures.size(), clients.versions));
            System.out.println(String.format(Locale.ROOT, "  latency under load p50 %.0f ms, p95 %.0f ms; one client "
                    + "alone p50 %.0f ms (ratio %.2f)   goal: 0 failed, visible <= 1000 ms",
                    clients.percentile(50), clients.percentile(95), single, clients.percentile(50) / single));
            if (!clients.failures.isEmpty()) {
                System.out.println("  failures by phase " + clients.failedByPhase + "; first: " + clients.failures.get(0));
            }
        } finally {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    private static void exec(Path root, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(root.resolve("runtime/nmodal").toString(), "exec", command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed");
        }
    }

    /** Reads the server's output until it serves; the rest of its output is drained in the background. */
    private static String awaitServing(Process server, Path copy) throws IOException {
        java.io.Writer log = Files.newBufferedWriter(copy, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        String base = null;
        while ((line = in.readLine()) != null) {
            log.write(line + "\n");
            Matcher m = REST.matcher(line);
            if (m.find()) {
                base = m.group(1);
            }
            if (line.startsWith("nmodal: running")) {
                log.flush();
                Thread drain = new Thread(() -> {
                    try (log) {
                        String more;
                        while ((more = in.readLine()) != null) {
                            log.write(more + "\n");
                            log.flush();
                        }
                    } catch (IOException e) {
                        // the server is gone
                    }
                }, "serve-output");
                drain.setDaemon(true);
                drain.start();
                return base;
            }
        }
        log.close();
        throw new IllegalStateException("runtime/nmodal serve ended before serving; its output: " + copy);
    }

    private static JsonObject get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = POLL.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private static List<JsonElement> bindings(String pipeline) throws IOException, InterruptedException {
        List<JsonElement> out = new ArrayList<>();
        get(pipeline).getAsJsonArray("bindings").forEach(out::add);
        return out;
    }

    private static JsonObject awaitBinding(String pipeline, int before, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<JsonElement> b = bindings(pipeline);
            if (b.size() > before) {
                return b.get(b.size() - 1).getAsJsonObject();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("audio not bound within " + seconds + " s");
    }

    private static long awaitModalities(String pipeline, int n, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (get(pipeline).getAsJsonArray("modalities").size() == n) {
                return System.currentTimeMillis();
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("not back to " + n + " modalities within " + seconds + " s");
    }

    /** Median latency of 40 requests from one client, nothing else running. */
    private static double baseline(String url, List<String> posts) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        double[] ms = new double[40];
        Random r = new Random(1);
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                    posts.get(r.nextInt(posts.size())))).build(), HttpResponse.BodyHandlers.ofString());
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return Bench.median(ms);
    }

    /** Clients posting without pause; failures are kept with their reason, latencies in milliseconds. */
    private static final class Clients {
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        final ConcurrentHashMap<String, AtomicInteger> versions = new ConcurrentHashMap<>();
        final AtomicInteger answered = new AtomicInteger();
        final ConcurrentHashMap<String, AtomicInteger> failedByPhase = new ConcurrentHashMap<>();
        volatile String phase = "load";
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final String url;
        private final List<String> posts;

        Clients(String url, List<String> posts) {
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
                try {
                    long t0 = System.nanoTime();
                    HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                    posts.get(r.nextInt(posts.size())))).build(), HttpResponse.BodyHandlers.ofString());
                    JsonObject o = JsonParser.parseString(resp.body()).getAsJsonObject();
                    if (resp.statusCode() != 200 || !o.has("version")) {
                        fail(resp.statusCode() + " " + resp.body());
                        continue;
                    }
                    latencies.add((System.nanoTime() - t0) / 1e6);
                    versions.computeIfAbsent(o.get("version").getAsString() + " " + o.getAsJsonArray("modalities")
                            .size() + "-modal", k -> new AtomicInteger()).incrementAndGet();
                    answered.incrementAndGet();
                } catch (Exception e) {
                    fail(e.toString());
                }
            }
        }

        private void fail(String why) {
            failures.add(phase + ": " + why);
            failedByPhase.computeIfAbsent(phase, k -> new AtomicInteger()).incrementAndGet();
        }

        double percentile(int p) {
            double[] v;
            synchronized (latencies) {
                v = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            }
            return v.length == 0 ? Double.NaN : v[Math.min(v.length - 1, (int) Math.floor(p / 100.0 * v.length))];
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(60_000);
            }
        }
    }
}
