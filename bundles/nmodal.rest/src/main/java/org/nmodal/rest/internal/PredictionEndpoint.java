package org.nmodal.pipeline.internal;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.nmodal.api.data.Post;
import org.nmodal.data.PostsReader;

/**
 * The REST endpoint of served pipelines, on the JDK's HTTP server:
 * <ul>
 * <li>{@code GET /api/pipelines}: the served pipelines and their current versions;</li>
 * <li>{@code POST /api/pipelines/{id}/predict}: a post as in posts.jsonl ({@code text}, and {@code image},
 * {@code video}, {@code audio} as paths, relative to the pipeline's data folder, or uploaded inline as
 * {@code {"base64": "...", "name": "clip.mp4"}}); answers the version, the modalities used and the class
 * probabilities.</li>
 * </ul>
 * Errors are JSON too: {@code {"error": "one line"}} with 400, 401, 404, 405, 413 or 503.
 */
final class PredictionEndpoint {
    private static final Gson GSON = new com.google.gson.GsonBuilder().disableHtmlEscaping().create();
    private static final System.Logger LOG = System.getLogger("nmodal.serving");
    private final HttpServer server;
    private final ExecutorService pool;

    private PredictionEndpoint(HttpServer server, ExecutorService pool) {
        this.server = server;
        this.pool = pool;
    }

    static PredictionEndpoint start(Serving serving, InetAddress host, int port, int maxBytes, int threads,
            String token) throws IOException {
        // The JDK server closes any connection that turns idle while 200 others are idle, including one a client is
        // about to send its next request on: under many short-lived clients, busy clients then lose requests
        // ("header parser received no bytes"). Idle connections are still closed after the idle interval (30 s).
        // Read once, when the server classes load; a value the user set is kept.
        System.getProperties().putIfAbsent("sun.net.httpserver.maxIdleConnections", "20000");
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "nmodal-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/api/pipelines", exchange -> handle(serving, exchange, maxBytes, token));
        server.start();
        return new PredictionEndpoint(server, pool);
    }

    String address() {
        InetSocketAddress a = server.getAddress();
        return "http://" + a.getHostString() + ":" + a.getPort();
    }

    void stop() {
        server.stop(1);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void handle(Serving serving, HttpExchange x, int maxBytes, String token) throws IOException {
        // not try-with-resources: the error replies below need the exchange still open
        try {
            if (!token.isBlank() && !("Bearer " + token).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                reply(x, 401, error("missing or wrong access token (send Authorization: Bearer <token>)"));
                return;
            }
            String[] parts = x.getRequestURI().getPath().replaceAll("/+$", "").split("/");
            // "", "api", "pipelines", id, "predict"
            if (parts.length == 3) {
                if (!x.getRequestMethod().equals("GET")) {
                    reply(x, 405, error("use GET on /api/pipelines"));
                    return;
                }
                JsonArray list = new JsonArray();
                for (ServedPipeline p : serving.pipelines()) {
                    list.add(describe(p));
                }
                JsonObject o = new JsonObject();
                o.add("pipelines", list);
                reply(x, 200, o);
            } else if (parts.length == 4 && x.getRequestMethod().equals("GET")) {
                reply(x, 200, describe(serving.pipeline(parts[3])));
            } else if (parts.length == 5 && parts[4].equals("predict")) {
                if (!x.getRequestMethod().equals("POST")) {
                    reply(x, 405, error("use POST on /api/pipelines/{id}/predict"));
                    return;
                }
                ServedPipeline p = serving.pipeline(parts[3]);
                byte[] body = read(x.getRequestBody(), maxBytes);
                if (body == null) {
                    reply(x, 413, error("request body larger than " + maxBytes + " bytes"));
                    return;
                }
                reply(x, 200, predict(p, body));
            } else {
                reply(x, 404, error("no such resource: " + x.getRequestURI().getPath()
                        + " (GET /api/pipelines, POST /api/pipelines/{id}/predict)"));
            }
        } catch (IllegalArgumentException | JsonParseException | IllegalStateException e) {
            int code = e instanceof IllegalStateException ? 503
                    : e.getMessage() != null && e.getMessage().contains("is not served") ? 404 : 400;
            reply(x, code, error(e.getMessage()));
        } catch (RuntimeException | Error e) {
            // an answer even now: the JDK server would otherwise drop the connection without a word
            LOG.log(System.Logger.Level.WARNING, "REST " + x.getRequestURI() + " failed", e);
            reply(x, 500, error(e.getClass().getSimpleName() + ": " + e.getMessage()));
        } finally {
            x.close();
        }
    }

    /** Parses the post (writing uploads to a temporary folder, removed afterwards) and answers it. */
    static JsonObject predict(ServedPipeline p, byte[] body) throws IOException {
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("the body is not JSON (" + c.getMessage() + ")");
        }
        if (!parsed.isJsonObject()) {
            throw new IllegalArgumentException("the body must be one JSON object (a post)");
        }
        JsonObject o = parsed.getAsJsonObject();
        if (!o.has("id")) {
            o.addProperty("id", "request");
        }
        Path uploads = null;
        try {
            for (String m : List.of("image", "video", "audio")) {
                JsonElement v = o.get(m);
                if (v != null && v.isJsonObject()) {
                    JsonObject u = v.getAsJsonObject();
                    if (!u.has("base64")) {
                        throw new IllegalArgumentException(m + ": an upload needs 'base64' (and a 'name' with the "
                                + "file's extension)");
                    }
                    if (uploads == null) {
                        uploads = Files.createTempDirectory("nmodal-upload");
                    }
                    String name = u.has("name") ? Path.of(u.get("name").getAsString()).getFileName().toString() : m;
                    Path file = uploads.resolve(m + "-" + name);
                    try {
                        Files.write(file, Base64.getDecoder().decode(u.get("base64").getAsString()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(m + ": 'base64' is not base64 (" + e.getMessage() + ")");
                    }
                    o.addProperty(m, file.toString());
                }
            }
            List<String> problems = new ArrayList<>();
            // the uploads named by absolute path above are the only files outside the data folder a request reaches
            Post post = PostsReader.post(o, p.spec().dataPath(), uploads == null ? List.of() : List.of(uploads),
                    problems);
            ServedPipeline.Answer a = p.predict(post);
            JsonObject out = answer(a);
            problems.forEach(out.getAsJsonArray("skipped")::add);
            return out;
        } finally {
            if (uploads != null) {
                try (Stream<Path> s = Files.walk(uploads)) {
                    for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }
    }

    static JsonObject answer(ServedPipeline.Answer a) {
        JsonObject o = new JsonObject();
        o.addProperty("pipeline", a.pipeline());
        o.addProperty("version", a.prediction().version());
        o.add("modalities", GSON.toJsonTree(a.prediction().modalities()));
        o.add("labels", GSON.toJsonTree(a.prediction().labels()));
        o.add("probabilities", GSON.toJsonTree(a.prediction().probabilities()));
        o.add("skipped", GSON.toJsonTree(a.skipped()));
        o.addProperty("millis", Math.round(a.millis() * 10) / 10.0);
        return o;
    }

    static JsonObject describe(ServedPipeline p) {
        JsonObject o = new JsonObject();
        o.addProperty("id", p.id());
        o.addProperty("state", p.state());
        ModelVersion v = p.current();
        if (v != null) {
            o.addProperty("version", "v" + v.number);
            o.add("modalities", GSON.toJsonTree(v.modalities()));
            JsonObject acc = new JsonObject();
            v.tasks.forEach(t -> acc.addProperty(t.task(), t.accuracy()));
            o.add("testAccuracy", acc);
        }
        JsonArray versions = new JsonArray();
        p.versions().forEach(x -> versions.add(x.summary()));
        o.add("versions", versions);
        o.add("events", GSON.toJsonTree(p.events()));
        o.add("bindings", GSON.toJsonTree(p.bindings()));
        return o;
    }

    private static JsonObject error(String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        return o;
    }

    /** The body, or null when it is larger than the limit (not read further). */
    private static byte[] read(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > max) {
                return null;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static void reply(HttpExchange x, int code, JsonObject body) throws IOException {
        byte[] bytes = (GSON.toJson(body) + "\n").getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        x.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }
}
