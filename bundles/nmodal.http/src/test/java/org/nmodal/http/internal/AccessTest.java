package org.nmodal.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTest {
    private static final Access.Rules LOOPBACK = new Access.Rules("127.0.0.1", Set.of(), "", a -> false);

    private static Access.Request get(String host) {
        return new Access.Request("GET", "/nmodal/api/state", "/nmodal/api/state", host, null, null, null, -1, false);
    }

    private static Access.Request post(String path, String contentType) {
        return new Access.Request("POST", path, path, "localhost:8321", null, null, contentType, 10, false);
    }

    @Test
    void hostNamesLoseTheirPortAndBrackets() {
        assertEquals("localhost", Access.hostName("localhost:8321"));
        assertEquals("localhost", Access.hostName("LocalHost"));
        assertEquals("127.0.0.1", Access.hostName("127.0.0.1:80"));
        assertEquals("::1", Access.hostName("[::1]:8321"));
        assertEquals("::1", Access.hostName("[::1]"));
        assertEquals("example.org", Access.hostName("example.org.:443"));
        assertNull(Access.hostName(null));
        assertNull(Access.hostName(""));
        assertNull(Access.hostName("[::1"));
        assertNull(Access.hostName("::1")); // IPv6 needs brackets in a Host header
        assertNull(Access.hostName("localhost:port"));
        assertNull(Access.hostName("evil.org/x"));
        assertNull(Access.hostName("a b"));
    }

    @Test
    void loopbackNamesWithoutDns() {
        assertTrue(Access.isLoopbackName("localhost"));
        assertTrue(Access.isLoopbackName("127.0.0.1"));
        assertTrue(Access.isLoopbackName("127.1.2.3"));
        assertTrue(Access.isLoopbackName("::1"));
        assertTrue(Access.isLoopbackName("[::1]"));
        assertTrue(Access.isLoopbackName("0:0:0:0:0:0:0:1"));
        assertFalse(Access.isLoopbackName("128.0.0.1"));
        assertFalse(Access.isLoopbackName("127.0.0.256"));
        assertFalse(Access.isLoopbackName("0.0.0.0"));
        assertFalse(Access.isLoopbackName("::"));
        assertFalse(Access.isLoopbackName("localhost.evil.org"));
        assertFalse(Access.isLoopbackName("127.0.0.1.evil.org"));
        assertFalse(Access.isLoopbackName(""));
    }

    @Test
    void onlyLoopbackTheConfiguredHostAndAllowedNamesPass() {
        assertNull(Access.decide(LOOPBACK, get("localhost:8321")));
        assertNull(Access.decide(LOOPBACK, get("127.0.0.1:1234")));
        assertNull(Access.decide(LOOPBACK, get("[::1]:8321")));
        assertEquals(421, Access.decide(LOOPBACK, get("evil.org")).status());
        assertEquals(421, Access.decide(LOOPBACK, get("localhost.evil.org:8321")).status());
        assertEquals(421, Access.decide(LOOPBACK, get(null)).status());
        assertEquals(421, Access.decide(LOOPBACK, get("[::1")).status());
        Access.Rules named = new Access.Rules("10.0.0.5", Set.of("Nmodal.Lab"), "t", a -> false);
        assertNull(Access.decide(named, withToken(get("10.0.0.5:8321"))));
        assertNull(Access.decide(named, withToken(get("nmodal.lab"))));
        assertEquals(421, Access.decide(named, withToken(get("10.0.0.6"))).status());
        Access.Rules everywhere = new Access.Rules("0.0.0.0", Set.of(), "t", "192.168.1.9"::equals);
        assertNull(Access.decide(everywhere, withToken(get("192.168.1.9:8321"))));
        assertEquals(421, Access.decide(everywhere, withToken(get("rebind.evil.org"))).status());
        assertTrue(Access.decide(LOOPBACK, get("evil.org")).message().contains("evil.org"));
    }

    private static Access.Request withToken(Access.Request r) {
        return new Access.Request(r.method(), r.rawPath(), r.path(), r.host(), "Bearer t", null, null, -1, false);
    }

    @Test
    void aTokenIsNeededOnceSet() {
        Access.Rules rules = new Access.Rules("127.0.0.1", Set.of(), "s3cret", a -> false);
        assertEquals(401, Access.decide(rules, get("localhost")).status());
        assertNull(Access.decide(rules, new Access.Request("GET", "/", "/", "localhost", "Bearer s3cret", null, null,
                -1, false)));
        assertNull(Access.decide(rules, new Access.Request("GET", "/", "/", "localhost", null, "a=1&token=s3cret",
                null, -1, false)));
        assertEquals(401, Access.decide(rules, new Access.Request("GET", "/", "/", "localhost", "Bearer s3cre", null,
                null, -1, false)).status());
        assertEquals(401, Access.decide(rules, new Access.Request("GET", "/", "/", "localhost", "Basic s3cret",
                "token=x", null, -1, false)).status());
        // the host is checked first: another site learns nothing about the token
        assertEquals(421, Access.decide(rules, get("evil.org")).status());
    }

    @Test
    void contentTypes() {
        assertTrue(Access.isJson("application/json"));
        assertTrue(Access.isJson("Application/JSON; charset=UTF-8"));
        assertTrue(Access.isJson("application/json;charset=\"utf-8\""));
        assertFalse(Access.isJson(null));
        assertFalse(Access.isJson("text/plain"));
        assertFalse(Access.isJson("application/x-www-form-urlencoded"));
        assertFalse(Access.isJson("multipart/form-data; boundary=x"));
        assertFalse(Access.isJson("application/json; charset=iso-8859-1"));
        assertFalse(Access.isJson("application/json; boundary=x"));
        assertFalse(Access.isJson("application/jsonp"));
    }

    @Test
    void apiBodiesMustBeJson() {
        assertEquals(415, Access.decide(LOOPBACK, post("/api/pipelines/x/predict", "text/plain")).status());
        assertEquals(415, Access.decide(LOOPBACK, post("/api/pipelines/x/predict", null)).status());
        assertEquals(415, Access.decide(LOOPBACK, post("/api/x", "application/x-www-form-urlencoded")).status());
        assertNull(Access.decide(LOOPBACK, post("/api/pipelines/x/predict", "application/json")));
        assertNull(Access.decide(LOOPBACK, post("/nmodal/", "text/plain"))); // not an API path
        assertNull(Access.decide(LOOPBACK, get("localhost"))); // no body
        // the decoded path counts too
        assertEquals(415, Access.decide(LOOPBACK, new Access.Request("POST", "/%61pi/x", "/api/x", "localhost", null,
                null, "text/plain", 3, false)).status());
        // a body announced on a GET
        assertEquals(415, Access.decide(LOOPBACK, new Access.Request("GET", "/api/x", "/api/x", "localhost", null,
                null, "text/plain", -1, true)).status());
    }

    @Test
    void errorsAreOneLineOfJson() {
        assertEquals("{\"error\":\"a \\\"b\\\" c\"}", Access.errorJson("a \"b\"\nc"));
    }

    @Test
    void traceIsNotEchoed() {
        for (String m : new String[] {"TRACE", "trace", "TRACK"}) {
            Access.Refusal no = Access.decide(LOOPBACK, new Access.Request(m, "/nmodal/", "/nmodal/", "localhost", null,
                    null, null, -1, false));
            assertEquals(405, no == null ? 0 : no.status(), m);
        }
    }
}
