package org.nmodal.http.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import org.osgi.framework.Bundle;
import org.osgi.service.servlet.context.ServletContextHelper;

/**
 * The {@code nmodal} servlet context: the one place that decides whether a request reaches an nmodal servlet (Host
 * header, token, content type of {@code /api/} bodies). The rules change with the configuration without the context
 * being registered again, so the servlets on it stay.
 */
final class Gate extends ServletContextHelper {
    private volatile Access.Rules rules;

    Gate(Bundle bundle, Settings settings) {
        super(bundle);
        update(settings);
    }

    void update(Settings s) {
        rules = new Access.Rules(s.host(), s.allowedHosts(), s.token(), Gate::local);
    }

    @Override
    public boolean handleSecurity(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = (req.getServletPath() == null ? "" : req.getServletPath())
                + (req.getPathInfo() == null ? "" : req.getPathInfo());
        String te = req.getHeader("Transfer-Encoding");
        Access.Refusal no = Access.decide(rules, new Access.Request(req.getMethod(), req.getRequestURI(), path,
                req.getHeader("Host"), req.getHeader("Authorization"), req.getQueryString(), req.getContentType(),
                req.getContentLengthLong(), te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked")));
        if (no == null) {
            return true;
        }
        resp.setStatus(no.status());
        if (no.status() == 401) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"nmodal\"");
        }
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        byte[] body = (Access.errorJson(no.message()) + "\n").getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
        return false;
    }

    /** True when a numeric address belongs to one of this machine's interfaces. */
    private static boolean local(String address) {
        try {
            return NetworkInterface.getByInetAddress(InetAddress.getByName(address)) != null;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }
}
