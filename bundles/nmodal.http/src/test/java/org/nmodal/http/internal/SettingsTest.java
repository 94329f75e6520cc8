package org.nmodal.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {
    /** A typed configuration as DS builds it: given keys, annotation defaults for the rest. */
    private static HttpServer.Config config(Map<String, Object> given) {
        return new HttpServer.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HttpServer.Config.class;
            }

            @Override
            public long encodeTimeoutMs() {
                return 30_000;
            }

            @Override
            public String host() {
                return (String) given.getOrDefault("host", "127.0.0.1");
            }

            @Override
            public int port() {
                return (Integer) given.getOrDefault("port", 8321);
            }

            @Override
            public String token() {
                return (String) given.getOrDefault("token", "");
            }

            @Override
            public String[] allowedHosts() {
                return (String[]) given.getOrDefault("allowedHosts", new String[0]);
            }

            @Override
            public int threads() {
                return (Integer) given.getOrDefault("threads", 8);
            }

            @Override
            public int requestTimeoutMs() {
                return (Integer) given.getOrDefault("requestTimeoutMs", 30_000);
            }

            @Override
            public long maxRequestBytes() {
                return (Long) given.getOrDefault("maxRequestBytes", 32L << 20);
            }
        };
    }

    private static Settings resolve(Map<String, Object> given, Map<String, String> framework) {
        return Settings.resolve(config(given), given, framework::get);
    }

    @Test
    void defaultsThenFrameworkPropertiesThenConfiguration() {
        Settings d = resolve(Map.of(), Map.of());
        assertEquals("127.0.0.1", d.host());
        assertEquals("8321", d.port());
        Settings f = resolve(Map.of(), Map.of("org.osgi.service.http.port", "18322", "org.apache.felix.http.host",
                "localhost"));
        assertEquals("18322", f.port());
        assertEquals("localhost", f.host());
        Settings c = resolve(Map.of("port", 9000, "host", "::1"), Map.of("org.osgi.service.http.port", "18322"));
        assertEquals("9000", c.port());
        assertEquals("::1", c.host());
        assertNull(c.problem());
        // a configuration without port keeps the launcher's port
        assertEquals("18322", resolve(Map.of("threads", 4), Map.of("org.osgi.service.http.port", "18322")).port());
    }

    @Test
    void aNonLoopbackHostWithoutTokenStaysOnLoopback() {
        Settings s = resolve(Map.of("host", "0.0.0.0"), Map.of());
        assertEquals("127.0.0.1", s.host());
        assertTrue(s.problem().contains("0.0.0.0") && s.problem().contains("token"), s.problem());
        assertFalse(s.problem().contains("\n"));
        Settings t = resolve(Map.of("host", "0.0.0.0", "token", "x"), Map.of());
        assertEquals("0.0.0.0", t.host());
        assertNull(t.problem());
        // the launcher's framework property is held to the same rule
        assertEquals("127.0.0.1", resolve(Map.of(), Map.of("org.apache.felix.http.host", "10.1.2.3")).host());
    }

    @Test
    void felixConfigurationBoundsThePoolAndNeverEnablesHttp() {
        Map<String, Object> given = new HashMap<>(Map.of("threads", 1, "requestTimeoutMs", 5000,
                "allowedHosts", new String[] {"a.lab, b.lab", "c.lab"}));
        Settings s = resolve(given, Map.of());
        assertEquals(Set.of("a.lab", "b.lab", "c.lab"), s.allowedHosts());
        var felix = s.felix();
        assertEquals("5000", felix.get("org.apache.felix.http.timeout"));
        assertEquals("6", felix.get("org.apache.felix.http.jetty.threadpool.max")); // 2, acceptor, selector, reserved, spare
        assertEquals("20", resolve(Map.of("threads", 15), Map.of()).felix()
                .get("org.apache.felix.http.jetty.threadpool.max")); // 15 + 2 + 2 reserved + 1
        assertEquals("1", felix.get("org.apache.felix.http.jetty.acceptors"));
        assertEquals("1", felix.get("org.apache.felix.http.jetty.selectors"));
        assertFalse(felix.containsKey("org.apache.felix.http.enable"));
    }
}
