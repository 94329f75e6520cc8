package org.nmodal.rest.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.recommend.TagService;
import org.nmodal.api.serving.Answer;
import org.nmodal.api.serving.ServedPipeline;
import org.nmodal.api.serving.ServingService;
import org.nmodal.api.serving.VersionInfo;
import org.nmodal.http.HttpStatus;
import org.nmodal.rest.ServingJson;
import org.nmodal.http.NmodalContextSelect;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The REST API of served pipelines, a thin adapter over {@link ServingService}:
 * <ul>
 * <li>{@code GET /api/pipelines}: the served pipelines and their current versions;</li>
 * <li>{@code GET /api/pipelines/{id}}: one of them;</li>
 * <li>{@code POST /api/pipelines/{id}/predict}: a post as JSON; answers the version, the modalities used and the
 * class probabilities;</li>
 * <li>{@code POST /api/pipelines/{id}/recommend[?k=K]}: a post as JSON; answers its K best hashtags (default 10)
 * with their scores, for a pipeline with a {@code recommend} block.</li>
 * </ul>
 * Errors are JSON too: {@code {"error": "one line"}} with 400, 404, 405, 413 or 503. Who may call, from which host
 * and with which content type is decided by the servlet context it is registered in, for every nmodal page alike.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/*")
@HttpWhiteboardServletName("nmodal-rest")
@NmodalContextSelect
public final class RestServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final transient ServingService serving;
    private final transient HttpStatus http;
    private transient volatile boolean stopped;
    /** Optional: the REST API stays up (and answers 503 for recommendations) while the recommend bundle is away. */
    @Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    private transient volatile TagService tags;

    /** The endpoint over the serving and tag recommendation services. */
    @Activate
    public RestServlet(@Reference ServingService serving, @Reference HttpStatus http) {
        this.serving = serving;
        this.http = http;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (stopping()) {
            reply(resp, 503, error("shutting down"));
            return;
        }
        String path = req.getPathInfo() == null ? "" : req.getPathInfo().replaceAll("/+$", "");
        String[] parts = path.split("/");
        // "", "pipelines", id, "predict"
        try {
            if (parts.length < 2 || !parts[1].equals("pipelines") || parts.length > 4
                    || parts.length == 4 && !parts[3].equals("predict") && !parts[3].equals("recommend")) {
                reply(resp, 404, error("no such resource (GET /api/pipelines, POST /api/pipelines/{id}/predict, "
                        + "POST /api/pipelines/{id}/recommend)"));
            } else if (parts.length == 4) {
                if (!req.getMethod().equals("POST")) {
                    reply(resp, 405, error("use POST on /api/pipelines/{id}/" + parts[3]));
                    return;
                }
                serving.pipeline(parts[2]); // an unknown id is a 404 before the body is read
                long maxBytes = http.maxRequestBytes();
                byte[] body = read(req.getInputStream(), maxBytes);
                if (body == null) {
                    reply(resp, 413, error("request body larger than " + maxBytes + " bytes"));
                    return;
                }
                String post = new String(body, StandardCharsets.UTF_8);
                TagService t = tags;
                if (!parts[3].equals("predict") && t == null) {
                    reply(resp, 503, error("hashtag recommendation is not available (bundle nmodal.recommend)"));
                    return;
                }
                reply(resp, 200, parts[3].equals("predict") ? ServingJson.answer(serving.predict(parts[2], post))
                        : ServingJson.tags(t.recommend(parts[2], post, k(req.getParameter("k")))));
            } else if (!req.getMethod().equals("GET")) {
                reply(resp, 405, error("use GET on /api/pipelines and /api/pipelines/{id}"));
            } else if (parts.length == 2) {
                JsonArray list = new JsonArray();
                serving.pipelines().forEach(p -> list.add(ServingJson.describe(p)));
                JsonObject o = new JsonObject();
                o.add("pipelines", list);
                reply(resp, 200, o);
            } else {
                reply(resp, 200, ServingJson.describe(serving.pipeline(parts[2])));
            }
        } catch (RuntimeException e) {
            if (stopping()) {
                // parts leave one by one while nmodal stops: what they say then is no fault of the request
                reply(resp, 503, error("shutting down"));
            } else if (e instanceof InvalidInputException) {
                reply(resp, e.getMessage() != null && e.getMessage().contains("is not served") ? 404 : 400,
                        error(e.getMessage()));
            } else if (e instanceof IllegalArgumentException) {
                reply(resp, 400, error(e.getMessage()));
            } else if (e instanceof IllegalStateException) {
                reply(resp, 503, error(e.getMessage()));
            } else {
                throw e;
            }
        }
    }

    /** Whether nmodal is stopping: this bundle or the framework on its way down, or the JVM running its exit hooks. */
    private boolean stopping() {
        if (stopped) {
            return true;
        }
        Bundle self = FrameworkUtil.getBundle(RestServlet.class);
        Bundle system = self == null || self.getBundleContext() == null ? null : self.getBundleContext().getBundle(0);
        if (self == null || self.getState() == Bundle.STOPPING || system == null
                || system.getState() == Bundle.STOPPING) {
            return true;
        }
        try {
            Thread probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true; // "Shutdown in progress"
        }
    }

    @Deactivate
    void deactivate() {
        stopped = true;
    }

    private static int k(String value) {
        if (value == null || value.isBlank()) {
            return 10;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("k must be a whole number, got '" + value + "'");
        }
    }

    private static JsonObject error(String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        return o;
    }

    /** The body, or null when it is larger than the limit (not read further). */
    private static byte[] read(InputStream in, long max) throws IOException {
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

    private static void reply(HttpServletResponse resp, int code, JsonObject body) throws IOException {
        byte[] bytes = (GSON.toJson(body) + "\n").getBytes(StandardCharsets.UTF_8);
        resp.setStatus(code);
        resp.setContentType("application/json; charset=utf-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
