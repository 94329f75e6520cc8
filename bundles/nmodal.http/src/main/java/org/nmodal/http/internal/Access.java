package org.nmodal.http.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The decisions of the {@code nmodal} context, without servlet types: is this Host header ours, is this the token,
 * is this body JSON. Every refusal is one line.
 */
final class Access {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9_.-]*[a-z0-9_])?\\.?");

    /** What the context allows: the configured host, extra Host names, the token (blank: none). */
    record Rules(String host, Set<String> allowedHosts, String token, Predicate<String> localAddress) {
        Rules {
            host = host == null ? "" : normalize(host);
            allowedHosts = allowedHosts.stream().map(Access::normalize).collect(java.util.stream.Collectors.toSet());
            token = token == null ? "" : token;
        }
    }

    /** The parts of a request the context looks at. */
    record Request(String method, String rawPath, String path, String host, String authorization, String query,
            String contentType, long contentLength, boolean chunked) {
    }

    /** A refusal: the status and one line. */
    record Refusal(int status, String message) {
    }

    private Access() {
    }

    /** Null when the request may pass, else why not. Host first, then token, then the content type. */
    static Refusal decide(Rules rules, Request r) {
        if ("TRACE".equalsIgnoreCase(r.method()) || "TRACK".equalsIgnoreCase(r.method())) {
            // the servlet default echoes the request, headers and all: nothing here needs it
            return new Refusal(405, r.method().toUpperCase(java.util.Locale.ROOT) + " is not allowed");
        }
        String name = hostName(r.host());
        if (name == null) {
            return new Refusal(421, r.host() == null ? "no Host header" : "malformed Host header");
        }
        if (!hostAllowed(rules, name)) {
            return new Refusal(421, "host '" + name + "' is not served here (loopback, the configured host and "
                    + "nmodal.serving allowedHosts are)");
        }
        if (!rules.token().isEmpty() && !tokenMatches(rules.token(), r.authorization(), queryToken(r.query()))) {
            return new Refusal(401, "missing or wrong token (send Authorization: Bearer <token>)");
        }
        if ((isApi(r.rawPath()) || isApi(r.path())) && hasBody(r) && !isJson(r.contentType())) {
            return new Refusal(415, "a request body must be application/json"
                    + (r.contentType() == null ? " (no Content-Type given)" : ", not " + oneLine(r.contentType())));
        }
        return null;
    }

    /**
     * The host name of a Host header, lower case, without port and without IPv6 brackets ({@code [::1]:8321} gives
     * {@code ::1}); null when absent or malformed.
     */
    static String hostName(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim().toLowerCase(Locale.ROOT);
        if (h.isEmpty()) {
            return null;
        }
        String name;
        String rest;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) {
                return null;
            }
            name = h.substring(1, end);
            rest = h.substring(end + 1);
            if (!name.contains(":") || !name.matches("[0-9a-f:.%a-z]+")) {
                return null;
            }
        } else {
            int colon = h.indexOf(':');
            name = colon < 0 ? h : h.substring(0, colon);
            rest = colon < 0 ? "" : h.substring(colon);
            if (!NAME.matcher(name).matches()) {
                return null;
            }
        }
        if (!rest.isEmpty() && !rest.matches(":\\d{1,5}")) {
            return null;
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** True for {@code localhost}, {@code 127.x.x.x} and {@code ::1} (in any IPv6 spelling), without DNS. */
    static boolean isLoopbackName(String name) {
        String n = normalize(name);
        if (n.equals("localhost") || n.endsWith(".localhost")) {
            return true;
        }
        var m = IPV4.matcher(n);
        if (m.matches()) {
            return validIpv4(m) && Integer.parseInt(m.group(1)) == 127;
        }
        if (n.contains(":") && n.matches("[0-9a-f:.]+")) {
            try {
                return InetAddress.getByName(n).isLoopbackAddress(); // a literal: no lookup
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** True for a numeric address (IPv4 dotted quad or IPv6). */
    static boolean isAddressLiteral(String name) {
        var m = IPV4.matcher(name);
        return m.matches() ? validIpv4(m) : name.contains(":") && name.matches("[0-9a-f:.]+");
    }

    /** True for the wildcard addresses a server listens on to reach every interface. */
    static boolean isWildcard(String host) {
        String h = normalize(host);
        return h.isEmpty() || h.equals("0.0.0.0") || h.equals("::") || h.equals("0:0:0:0:0:0:0:0");
    }

    private static boolean hostAllowed(Rules rules, String name) {
        if (isLoopbackName(name)) {
            return true;
        }
        String n = normalize(name);
        if (n.equals(rules.host()) || rules.allowedHosts().contains(n)) {
            return true;
        }
        // listening everywhere: the machine's own addresses (a numeric Host cannot be rebound by DNS)
        return isWildcard(rules.host()) && isAddressLiteral(n) && rules.localAddress().test(n);
    }

    /**
     * Media type {@code application/json}, with at most a {@code charset=utf-8} parameter (JSON is UTF-8).
     */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0 || !p.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                return false;
            }
            String v = p.substring(eq + 1).trim();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            if (!v.equalsIgnoreCase("utf-8") && !v.equalsIgnoreCase("utf8")) {
                return false;
            }
        }
        return true;
    }

    /** A body is announced (length or chunked), or the method carries one (POST, PUT, PATCH). */
    static boolean hasBody(Request r) {
        String m = r.method() == null ? "" : r.method().toUpperCase(Locale.ROOT);
        return r.contentLength() > 0 || r.chunked() || m.equals("POST") || m.equals("PUT") || m.equals("PATCH");
    }

    static boolean isApi(String path) {
        return path != null && (path.startsWith("/api/") || path.contains("/api/") || path.endsWith("/api"));
    }

    /** The {@code token} parameter of a raw query string (percent-decoded), or null. */
    static String queryToken(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("token=")) {
                try {
                    return java.net.URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Constant-time comparison of the token with {@code Authorization: Bearer ...} or the query parameter. */
    static boolean tokenMatches(String token, String authorization, String queryToken) {
        byte[] want = token.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ok = MessageDigest.isEqual(want, authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8));
        }
        if (queryToken != null) {
            ok |= MessageDigest.isEqual(want, queryToken.getBytes(StandardCharsets.UTF_8));
        }
        return ok;
    }

    /** {@code {"error":"..."}} for a one-line message. */
    static String errorJson(String message) {
        StringBuilder b = new StringBuilder("{\"error\":\"");
        for (char c : oneLine(message).toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append("\"}").toString();
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("[\\r\\n\\t]+", " ").trim();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    private static boolean validIpv4(java.util.regex.Matcher m) {
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Lower case, IPv6 without brackets, no trailing dot. */
    static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
