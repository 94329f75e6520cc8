package org.nmodal.web.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;

/**
 * The dashboard at {@code /nmodal/}: the page (plain HTML, CSS and a small script from this bundle, nothing from the
 * internet), {@code api/state} (components, pipelines, the live job, finished runs, as JSON), {@code api/events}
 * (the same state as server-sent events whenever it changes) and {@code runs/<folder>/report.html}.
 */
@RequireHttpWhiteboard
@Component(service = Servlet.class, property = {"osgi.http.whiteboard.servlet.pattern=/nmodal/*",
        "osgi.http.whiteboard.servlet.name=nmodal-dashboard", "osgi.http.whiteboard.servlet.asyncSupported=true"})
@Designate(ocd = DashboardServlet.Config.class)
public final class DashboardServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Map<String, String> TYPES = Map.of("html", "text/html", "js", "text/javascript", "css",
            "text/css");

    /** Configuration, PID {@code nmodal.web}. The port and address are Felix HTTP's (see the README). */
    @ObjectClassDefinition(name = "nmodal web dashboard")
    public @interface Config {
        /** Access token. */
        @AttributeDefinition(description = "Token the browser sends (?token=... or Authorization: Bearer); required "
                + "when the HTTP service listens on anything but loopback")
        String token() default "";

        /** Event interval. */
        @AttributeDefinition(description = "Milliseconds between state checks of an open event stream")
        long eventIntervalMs() default 500;
    }

    private final transient BundleContext context;
    @Reference
    private transient DashboardState dashboard;
    private final String token;
    private final long interval;
    private final transient Path work;
    private final boolean loopback;

    /** Creates the dashboard. */
    @Activate
    public DashboardServlet(BundleContext context, Config config) {
        this.context = context;
        this.token = config.token();
        this.interval = Math.max(50, config.eventIntervalMs());
        String w = context.getProperty("nmodal.work");
        this.work = w == null ? null : Path.of(w);
        String host = context.getProperty("org.apache.felix.http.host");
        boolean local;
        try {
            local = host == null || host.isBlank() ? false : InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            local = false;
        }
        this.loopback = local;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!allowed(req, resp)) {
            return;
        }
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        switch (path) {
            case "/", "/index.html" -> resource(resp, "index.html");
            case "/app.js" -> resource(resp, "app.js");
            case "/app.css" -> resource(resp, "app.css");
            case "/api/state" -> json(resp, state());
            case "/api/events" -> events(req, resp);
            default -> {
                if (path.startsWith("/runs/") && path.endsWith("/report.html")) {
                    report(resp, path.substring("/runs/".length(), path.length() - "/report.html".length()));
                } else {
                    resp.sendError(404, "no such page: " + path);
                }
            }
        }
    }

    /** Without a token the dashboard answers on loopback only; with one, every request must carry it. */
    private boolean allowed(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (token.isBlank()) {
            if (!loopback) {
                resp.sendError(403, "the dashboard listens beyond loopback: set a token (nmodal.web token=...)");
                return false;
            }
            return true;
        }
        String given = req.getParameter("token");
        String header = req.getHeader("Authorization");
        if (token.equals(given) || ("Bearer " + token).equals(header)) {
            return true;
        }
        resp.sendError(401, "missing or wrong token");
        return false;
    }

    /** Everything the page shows. */
    String state() {
        return dashboard.json();
    }

    /** Server-sent events: the state whenever it changed, checked every interval, until the browser leaves. */
    private void events(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-cache");
        PrintWriter out = resp.getWriter();
        String last = "";
        long end = System.currentTimeMillis() + 10 * 60_000L; // the browser reconnects after this
        while (System.currentTimeMillis() < end) {
            String now = state();
            String body = now.substring(now.indexOf(",\"components\""));
            if (!body.equals(last)) {
                out.write("data: " + now + "\n\n");
                last = body;
            } else {
                out.write(": keep-alive\n\n");
            }
            out.flush();
            if (out.checkError()) {
                return; // the browser went away
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void report(HttpServletResponse resp, String folder) throws IOException {
        if (work == null || !folder.matches("[A-Za-z0-9._-]+")) {
            resp.sendError(404, "no such run");
            return;
        }
        Path file = work.resolve("runs").resolve(folder).resolve("report.html");
        if (!Files.isRegularFile(file)) {
            resp.sendError(404, "no report in " + folder);
            return;
        }
        resp.setContentType("text/html");
        resp.setCharacterEncoding("UTF-8");
        Files.copy(file, resp.getOutputStream());
    }

    private void resource(HttpServletResponse resp, String name) throws IOException {
        try (InputStream in = DashboardServlet.class.getResourceAsStream("/static/" + name)) {
            if (in == null) {
                resp.sendError(404, name);
                return;
            }
            resp.setContentType(TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
            resp.setCharacterEncoding("UTF-8");
            in.transferTo(resp.getOutputStream());
        }
    }

    private static void json(HttpServletResponse resp, String body) throws IOException {
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
