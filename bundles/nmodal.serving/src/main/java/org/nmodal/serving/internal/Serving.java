package org.nmodal.pipeline.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.data.Post;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The pipelines being served, and their REST endpoint. The endpoint opens with the first served pipeline (a runtime
 * that only runs batch jobs listens on nothing) and is bound to the loopback address unless configured otherwise.
 */
@Component(service = Serving.class)
@Designate(ocd = Serving.Config.class)
public final class Serving implements Registry.EncoderListener {
    /** Configuration, PID {@code nmodal.serving}. */
    @ObjectClassDefinition(name = "nmodal serving", description = "Served pipelines and their REST endpoint")
    public @interface Config {
        /** Address the REST endpoint listens on. */
        @AttributeDefinition(description = "Address the REST endpoint listens on (loopback by default)")
        String host() default "127.0.0.1";

        /** Port; 0 picks a free one. */
        @AttributeDefinition(description = "Port of the REST endpoint; 0 picks a free one")
        int port() default 8321;

        /** Largest request body. */
        @AttributeDefinition(description = "Largest request body in bytes (uploads are base64 inside the JSON)")
        int maxRequestBytes() default 32 * 1024 * 1024;

        /** Threads answering requests. */
        @AttributeDefinition(description = "Threads answering requests")
        int threads() default 8;

        /** Per-request encoder time limit. */
        @AttributeDefinition(description = "Milliseconds an encoder may take for one request's input; past it the "
                + "input is skipped with a line naming the encoder")
        long encodeTimeoutMs() default 30_000;

        /** Access token; required when the endpoint listens on anything but loopback. */
        @AttributeDefinition(description = "Bearer token clients must send; required for a non-loopback host")
        String token() default "";
    }

    private final PipelineRunner runner;
    private final Config config;
    private final Map<String, ServedPipeline> served = new ConcurrentHashMap<>();
    private PredictionEndpoint endpoint;

    /** Creates the serving service; nothing listens until a pipeline is served. */
    @Activate
    public Serving(@Reference PipelineRunner runner, Config config) {
        this.runner = runner;
        this.config = config;
        runner.registry().addListener(this);
    }

    @Deactivate
    void deactivate() {
        runner.registry().removeListener(this);
        synchronized (this) {
            if (endpoint != null) {
                endpoint.stop();
                endpoint = null;
            }
        }
        served.values().forEach(ServedPipeline::close);
        served.clear();
    }

    /**
     * Starts serving a pipeline (replacing one of the same id): loads its stored model or trains one, then opens the
     * REST endpoint if it is not open yet.
     */
    ServedPipeline serve(Path file, Path data, Consumer<String> log) throws IOException {
        PipelineSpec spec = runner.validate(file, data);
        ServedPipeline p = ServedPipeline.start(spec, runner, log);
        p.encodeTimeout(config.encodeTimeoutMs());
        ServedPipeline old = served.put(spec.id(), p);
        if (old != null) {
            old.close();
        }
        startEndpoint();
        return p;
    }

    /** Stops serving a pipeline; false when it was not served. */
    boolean unserve(String id) {
        ServedPipeline p = served.remove(id);
        if (p != null) {
            p.close();
        }
        return p != null;
    }

    ServedPipeline pipeline(String id) {
        ServedPipeline p = served.get(id);
        if (p == null) {
            throw new InvalidInputException("pipeline '" + id + "' is not served (served: "
                    + (served.isEmpty() ? "none; start one with nmodal:serve <pipeline.json>"
                            : String.join(", ", new TreeMap<>(served).keySet())) + ")");
        }
        return p;
    }

    ServedPipeline.Answer predict(String id, Post post) {
        return pipeline(id).predict(post);
    }

    List<ServedPipeline> pipelines() {
        return new TreeMap<>(served).values().stream().toList();
    }

    /** Where the REST endpoint listens, or null while it is closed. */
    synchronized String address() {
        return endpoint == null ? null : endpoint.address();
    }

    private synchronized void startEndpoint() throws IOException {
        if (endpoint != null) {
            return;
        }
        InetAddress host = InetAddress.getByName(config.host());
        if (!host.isLoopbackAddress() && config.token().isBlank()) {
            throw new InvalidInputException("nmodal.serving: host " + config.host() + " is reachable from other "
                    + "machines; set a token (nmodal.serving token=...) or keep the loopback address");
        }
        try {
            endpoint = PredictionEndpoint.start(this, host, config.port(), config.maxRequestBytes(), config.threads(),
                    config.token());
        } catch (java.net.BindException e) {
            throw new InvalidInputException("nmodal.serving: cannot listen on " + config.host() + ":" + config.port()
                    + " (" + e.getMessage() + "); another nmodal may be serving there, or set another port "
                    + "(port=... in runtime/load/nmodal.serving.cfg)");
        }
    }

    @Override
    public void encoderAdded(String modality, String name) {
        served.values().forEach(p -> p.encoderAdded(modality, name));
    }

    @Override
    public void encoderRemoving(String modality, String name) {
        served.values().forEach(p -> p.encoderRemoving(modality, name));
    }
}
