package org.nmodal.web.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.nmodal.http.NmodalContextSelect;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
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
@NmodalContextSelect
@Component(service = Servlet.class, configurationPid = "nmodal.web", property = {
        "osgi.http.whiteboard.servlet.pattern=/nmodal/*", "osgi.http.whiteboard.servlet.name=nmodal-dashboard",
        "osgi.http.whiteboard.servlet.asyncSupported=true"})
@Designate(ocd = DashboardServlet.Config.class)
public final class DashboardServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Map<String, String> TYPES = Map.of("html", "text/html", "js", "text/javascript", "css",
            "text/css");
    /** The browser reconnects after this. */
    private static final long STREAM_MILLIS = 10 * 60_000L;

    /**
     * Configuration, PID {@code nmodal.web}. Address, port and token are the HTTP server's ({@code nmodal.serving}):
     * the {@code nmodal} servlet context checks Host header and token before a request reaches this servlet.
     */
    @ObjectClassDefinition(name = "nmodal web dashboard")
    public @interface Config {
        /** Event interval. */
        @AttributeDefinition(description = "Milliseconds between state checks of an open event stream")
        long eventIntervalMs() default 500;
    }

    private final transient DashboardState dashboard;
    private final long interval;
    /** Sends the event streams' updates; no request thread waits between events. */
    private final transient ScheduledExecutorService events;
    private final transient Set<AsyncContext> streams = ConcurrentHashMap.newKeySet();

    /** Creates the dashboard. */
    @Activate
    public DashboardServlet(@Reference DashboardState dashboard, Config config) {
        this.dashboard = dashboard;
        this.interval = Math.max(50, config.eventIntervalMs());
        this.events = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "nmodal-dashboard-events");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        events.shutdownNow();
        for (AsyncContext a : streams) {
            try {
                a.complete();
            } catch (IllegalStateException e) {
                // already completed
            }
        }
        streams.clear();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        switch (path) {
            case "/", "/index.html" -> resource(resp, "index.html");
            case "/app.js" -> resource(resp, "app.js");
            case "/app.css" -> resource(resp, "app.css");
            case "/api/state" -> json(resp, state());
            case "/api/events" -> events(req, resp);
            default -> {
                if (path.startsWith("/runs/") && path.endsWith("/report.html")
                        && path.length() > "/runs/".length() + "/report.html".length()) {
                    report(resp, path.substring("/runs/".length(), path.length() - "/report.html".length()));
                } else {
                    resp.sendError(404, "no such page: " + path);
                }
            }
        }
    }

    /** Everything the page shows. */
    String state() {
        return dashboard.json();
    }

    /**
     * Server-sent events: the state whenever it changed, checked every interval, until the browser leaves. The
     * request is asynchronous: between events no thread waits for it, the component's scheduler writes the next one.
     */
    private void events(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-cache");
        AsyncContext async = req.startAsync();
        async.setTimeout(STREAM_MILLIS + 30_000L);
        PrintWriter out = resp.getWriter();
        long end = System.currentTimeMillis() + STREAM_MILLIS;
        String[] last = {""};
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        Runnable finish = () -> {
            if (task[0] != null) {
                task[0].cancel(false);
            }
            if (streams.remove(async)) {
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    // completed by the container (timeout, error)
                }
            }
        };
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                finish.run();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                finish.run();
            }

            @Override
            public void onError(AsyncEvent event) {
                finish.run();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // not restarted
            }
        });
        streams.add(async);
        try {
            task[0] = events.scheduleWithFixedDelay(() -> {
                try {
                    if (System.currentTimeMillis() >= end) {
                        finish.run();
                        return;
                    }
                    String now = state();
                    String body = now.substring(now.indexOf(",\"components\""));
                    if (!body.equals(last[0])) {
                        out.write("data: " + now + "\n\n");
                        last[0] = body;
                    } else {
                        out.write(": keep-alive\n\n");
                    }
                    out.flush();
                    if (out.checkError()) {
                        finish.run(); // the browser went away
                    }
                } catch (RuntimeException e) {
                    finish.run();
                }
            }, 0, interval, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            finish.run(); // deactivated meanwhile
        }
    }

    private void report(HttpServletResponse resp, String folder) throws IOException {
        Path runs = dashboard.runsFolder();
        if (runs == null || !folder.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*")) {
            resp.sendError(404, "no such run");
            return;
        }
        Path file = runs.resolve(folder).resolve("report.html");
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
