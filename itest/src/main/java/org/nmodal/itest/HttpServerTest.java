package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nmodal.http.HttpStatus;
import org.nmodal.http.NmodalHttp;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The one HTTP server (Felix HTTP on Jetty 12, configured by nmodal.http from {@code nmodal.serving}) with the
 * dashboard on the {@code nmodal} context: moving the port, slow clients, Host, content type, token, a refused host.
 * The framework starts Felix HTTP on a free port ({@code org.osgi.service.http.port=0}); all traffic goes to
 * 127.0.0.1, every wait is bounded.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class HttpServerTest {
    private static final String STATE = "/nmodal/api/state";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 30_000)
    ConfigurationAdmin cm;

    /** Waits for the server component (its service is looked up anew each time: a deleted configuration restarts it). */
    @InjectService(timeout = 30_000)
    HttpStatus first;

    private final List<ServiceRegistration<?>> registered = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void serverIsUp() throws Exception {
        port(); // the server answers before each test
    }

    @AfterEach
    void reset() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        registered.forEach(ServiceRegistration::unregister);
        Configuration c = cm.getConfiguration(NmodalHttp.PID, "?");
        if (c.getProperties() != null) {
            c.delete();
        }
        await("the server back on its defaults", () -> status().address().isPresent() && status().problem().isEmpty()
                && answers(portOf(status().address().get()), STATE, 200), 90_000);
    }

    /** (a) A configured port moves the server: the new one answers the dashboard, the old one no longer listens. */
    @Test
    void configuringThePortMovesTheServer() throws Exception {
        int old = port();
        int first = freePort(old);
        configure(Map.of("port", first));
        await("the dashboard on port " + first, () -> answers(first, STATE, 200), 30_000);
        assertEquals("http://127.0.0.1:" + first, status().address().orElseThrow());
        assertRefused(old);
        // updating the configuration moves it again, servlets included
        int second = freePort(first);
        configure(Map.of("port", second, "threads", 4));
        await("the dashboard on port " + second, () -> answers(second, STATE, 200), 30_000);
        assertRefused(first);
        assertTrue(get(second, "/nmodal/", Map.of()).body().contains("<html"), "the page is served too");
    }

    /**
     * (b) With the smallest pool, two slow clients (one trickling its headers, one its body) and six open event
     * streams do not keep a third client waiting; a body that stops coming is cut off after the idle timeout.
     */
    @Test
    void slowClientsDoNotBlockOthers() throws Exception {
        registerEcho();
        int before = port();
        configure(Map.of("threads", 2, "requestTimeoutMs", 2000));
        // port 0 (the framework's): Jetty restarts on the new settings on another free port
        await("the server on the new settings", () -> status().address().isPresent()
                && portOf(status().address().get()) != before, 30_000);
        int port = port();
        assertEquals("6", cm.getConfiguration("org.apache.felix.http", "?").getProperties()
                .get("org.apache.felix.http.jetty.threadpool.max"));
        Socket headers = open(port);
        send(headers, "GET " + STATE + " HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
        Socket body = open(port);
        send(body, "POST /api/itest/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{\"a\":");
        Socket stalled = open(port);
        send(stalled, "POST /api/itest/echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{\"b\":");
        List<Socket> streams = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Socket s = open(port);
            send(s, "GET /nmodal/api/events HTTP/1.1\r\nHost: localhost\r\n\r\n");
            streams.add(s);
        }
        for (Socket s : streams) {
            String got = readUntil(s, "data: ", 10_000);
            assertTrue(got.contains("data: "), "an event stream sends the state, got: " + got);
        }
        Thread trickle = new Thread(() -> {
            try {
                for (int i = 0; i < 16; i++) { // 4 s, under the idle timeout each time
                    send(headers, "x");
                    send(body, " ");
                    Thread.sleep(250);
                }
            } catch (IOException | InterruptedException e) {
                // the test closes the sockets
            }
        });
        trickle.start();
        try {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                Reply r = get(port, STATE, Map.of());
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, r.status());
                assertTrue(millis < 2500, "a third client waited " + millis + " ms");
                Thread.sleep(300);
            }
        } finally {
            trickle.interrupt();
            trickle.join(5000);
        }
        // the body that stopped after 5 bytes: closed (or answered with an error) after the 2 s idle timeout
        stalled.setSoTimeout(8000);
        long start = System.nanoTime();
        InputStream in = stalled.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            in.transferTo(got);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("a stalled body held its connection past the idle timeout");
        } catch (IOException e) {
            // reset by the server: closed as well
        }
        assertTrue((System.nanoTime() - start) / 1_000_000 < 8000);
        assertFalse(got.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200"), got.toString());
    }

    /** (c) Another site's name in the Host header is refused; loopback names with any port work. */
    @Test
    void onlyLoopbackHostNamesAreServed() throws Exception {
        int port = port();
        Reply evil = get(port, STATE, Map.of("Host", "rebind.example.org:" + port));
        assertTrue(evil.status() == 421 || evil.status() == 403, "status " + evil.status());
        assertTrue(evil.body().contains("\"error\"") && evil.body().contains("rebind.example.org"), evil.body());
        assertEquals(200, get(port, STATE, Map.of("Host", "localhost:" + port)).status());
        assertEquals(200, get(port, STATE, Map.of("Host", "127.0.0.1:" + port)).status());
        assertEquals(200, get(port, STATE, Map.of("Host", "[::1]:" + port)).status());
        // an extra name once configured
        configure(Map.of("allowedHosts", "nmodal.lab"));
        await("nmodal.lab accepted", () -> answers(port(), STATE, 200, "nmodal.lab"), 60_000);
        assertEquals(421, get(port(), STATE, Map.of("Host", "other.lab")).status());
    }

    /** (d) A body to /api/ must be JSON: text/plain or no type gets 415 with a one-line JSON error. */
    @Test
    void apiBodiesMustBeJson() throws Exception {
        registerEcho();
        int port = port();
        await("the test servlet", () -> post(port, "application/json", "{}").status() == 200, 60_000);
        Reply plain = post(port, "text/plain", "{}");
        assertEquals(415, plain.status());
        assertTrue(plain.body().contains("{\"error\":\"") && plain.body().contains("text/plain"), plain.body());
        assertEquals(415, post(port, null, "{}").status());
        assertEquals(415, post(port, "application/x-www-form-urlencoded", "a=b").status());
        Reply json = post(port, "application/json; charset=utf-8", "{\"x\":1}");
        assertEquals(200, json.status());
        assertTrue(json.body().contains("{\"x\":1}"), json.body());
    }

    /** (e) With a token, requests without it get 401; with it (header or ?token=) they pass. */
    @Test
    void aTokenIsRequiredOnceSet() throws Exception {
        port();
        configure(Map.of("token", "s3cret"));
        // the address is read on every try (port() cannot serve here: it waits for a 200, which the token now
        // refuses): applying the configuration may restart the server, and in the tests it takes a free port
        await("the token in force", () -> get(portOf(status().address().get()), STATE, Map.of()).status() == 401,
                60_000);
        int port = portOf(status().address().get());
        Reply none = get(port, STATE, Map.of());
        assertTrue(none.body().contains("\"error\""), none.body());
        assertEquals(401, get(port, STATE, Map.of("Authorization", "Bearer wrong")).status());
        assertEquals(200, get(port, STATE, Map.of("Authorization", "Bearer s3cret")).status());
        assertEquals(200, get(port, STATE + "?token=s3cret", Map.of()).status());
    }

    /** (f) A non-loopback host without a token is refused in one line; the server stays on 127.0.0.1. */
    @Test
    void aPublicHostWithoutTokenIsRefused() throws Exception {
        configure(Map.of("host", "0.0.0.0"));
        await("the refusal", () -> status().problem().isPresent(), 60_000);
        String problem = status().problem().get();
        assertTrue(problem.contains("0.0.0.0") && problem.contains("token"), problem);
        assertFalse(problem.contains("\n"), problem);
        assertTrue(status().address().orElseThrow().startsWith("http://127.0.0.1:"), status().address().get());
        Dictionary<String, Object> felix = cm.getConfiguration("org.apache.felix.http", "?").getProperties();
        assertEquals("127.0.0.1", felix.get("org.apache.felix.http.host"));
        ServiceReference<HttpServiceRuntime> runtime = context.getServiceReference(HttpServiceRuntime.class);
        Object endpoints = runtime.getProperty("osgi.http.endpoint");
        List<String> all = endpoints instanceof String[] a ? Arrays.asList(a) : List.of(String.valueOf(endpoints));
        assertFalse(all.isEmpty());
        all.forEach(e -> assertTrue(e.startsWith("http://127.0.0.1:"), "endpoint " + e));
        assertEquals(200, get(port(), STATE, Map.of()).status());
    }

    /** The documented PIDs are the ones read: nmodal.web for the dashboard, nmodal.serving for the server. */
    @Test
    void componentsReadTheDocumentedPids() throws Exception {
        ServiceReference<ServiceComponentRuntime> ref = context.getServiceReference(ServiceComponentRuntime.class);
        ServiceComponentRuntime scr = context.getService(ref);
        try {
            Map<String, List<String>> pids = new LinkedHashMap<>();
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                pids.put(d.name, Arrays.asList(d.configurationPid));
            }
            assertEquals(List.of("nmodal.web"), pids.get("org.nmodal.web.internal.DashboardServlet"));
            assertEquals(List.of(NmodalHttp.PID), pids.get("org.nmodal.http.internal.HttpServer"));
        } finally {
            context.ungetService(ref);
        }
    }

    // ---- helpers

    private record Reply(int status, String body) {
    }

    /** The server's current status service (SCR recreates the component when its configuration is deleted). */
    private HttpStatus status() {
        ServiceReference<HttpStatus> ref = context.getServiceReference(HttpStatus.class);
        if (ref == null) {
            throw new IllegalStateException("no HttpStatus service");
        }
        try {
            return context.getService(ref);
        } finally {
            context.ungetService(ref);
        }
    }

    private void configure(Map<String, Object> values) throws IOException {
        Configuration c = cm.getConfiguration(NmodalHttp.PID, "?");
        c.update(new Hashtable<>(values));
    }

    private int port() {
        // the address is read anew on every try: a configuration deleted just before may still restart the server,
        // and in the tests it listens on a free port, so the address read first can be gone a moment later
        await("the dashboard on the server's address", () -> status().address().isPresent()
                && answers(portOf(status().address().get()), STATE, 200), 90_000);
        return portOf(status().address().get());
    }

    private static int portOf(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** A free port on loopback, not the one given and never nmodal's own 8321 or 8322. */
    private static int freePort(int not) throws IOException {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                int p = s.getLocalPort();
                if (p != not && p != 8321 && p != 8322) {
                    return p;
                }
            }
        }
        throw new IllegalStateException("no free port");
    }

    private void registerEcho() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", "/api/itest/*");
        props.put("osgi.http.whiteboard.context.select", NmodalHttp.CONTEXT_SELECT);
        registered.add(context.registerService(Servlet.class, new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                byte[] in = req.getInputStream().readAllBytes();
                resp.setContentType("application/json");
                resp.getOutputStream().write(in);
            }
        }, props));
    }

    private static void assertRefused(int port) {
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
        }, "port " + port + " still listens");
    }

    private static boolean answers(int port, String path, int want) {
        return answers(port, path, want, "localhost:" + port);
    }

    private static boolean answers(int port, String path, int want, String host) {
        try {
            return get(port, path, Map.of("Host", host)).status() == want;
        } catch (IOException e) {
            return false;
        }
    }

    private static Reply get(int port, String path, Map<String, String> headers) throws IOException {
        return request(port, "GET " + path, headers, null);
    }

    private static Reply post(int port, String contentType, String body) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        return request(port, "POST /api/itest/echo", h, body);
    }

    /** One request over a plain socket (so that the Host header is ours to choose), read until the server closes. */
    private static Reply request(int port, String line, Map<String, String> headers, String body) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            StringBuilder b = new StringBuilder(line).append(" HTTP/1.1\r\n");
            if (!headers.containsKey("Host")) {
                b.append("Host: localhost:").append(port).append("\r\n");
            }
            headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                b.append("Content-Length: ").append(bytes.length).append("\r\n");
            }
            b.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!all.startsWith("HTTP/1.1 ")) {
                throw new IOException("no HTTP answer: " + all);
            }
            int end = all.indexOf("\r\n\r\n");
            return new Reply(Integer.parseInt(all.substring(9, 12)), end < 0 ? "" : all.substring(end + 4));
        }
    }

    private Socket open(int port) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    private static String readUntil(Socket s, String marker, int millis) throws IOException {
        s.setSoTimeout(millis);
        StringBuilder got = new StringBuilder();
        InputStream in = s.getInputStream();
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            int c;
            try {
                c = in.read();
            } catch (SocketTimeoutException e) {
                return got + " (timed out)";
            }
            if (c < 0) {
                return got + " (closed)";
            }
            got.append((char) c);
            if (got.indexOf(marker) >= 0) {
                return got.toString();
            }
        }
        return got.toString();
    }

    /** A condition that may fail while the server restarts. */
    private interface Check {
        boolean ok() throws Exception;
    }

    private static boolean await(String what, Check done, long millis) {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            try {
                if (done.ok()) {
                    return true;
                }
            } catch (Exception e) {
                // not yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
