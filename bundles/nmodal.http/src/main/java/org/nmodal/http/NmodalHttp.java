package org.nmodal.http;

/** Names of nmodal's HTTP server. */
public final class NmodalHttp {
    /** The servlet context ({@code osgi.http.whiteboard.context.name}) every nmodal servlet registers on. */
    public static final String CONTEXT_NAME = "nmodal";

    /** The whiteboard filter that selects that context ({@code osgi.http.whiteboard.context.select}). */
    public static final String CONTEXT_SELECT = "(osgi.http.whiteboard.context.name=" + CONTEXT_NAME + ")";

    /** The configuration PID of the server: host, port, token, allowed Host names, threads, timeouts, body size. */
    public static final String PID = "nmodal.serving";

    private NmodalHttp() {
    }
}
