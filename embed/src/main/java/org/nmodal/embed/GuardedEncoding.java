package org.nmodal.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;

/**
 * Encoder calls from outside the framework that a misbehaving encoder cannot break: an exception, a wrong number of
 * encodings, vectors of the wrong length or a call past the time limit fail only that call's inputs, each with one
 * line naming the encoder. The same rules as the runtime's own guard, on the caller's side of the boundary (a
 * Spark task must never die of an extension bundle).
 */
public final class GuardedEncoding implements AutoCloseable {
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "nmodal-embedded-encode-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** Encodes a batch within {@code timeoutMs}; never throws for what the encoder does. */
    public List<Encoding> encode(ModalityEncoder encoder, List<? extends ModalityInput> inputs, long timeoutMs) {
        String name;
        try {
            name = encoder.name();
        } catch (RuntimeException e) {
            name = "?";
        }
        Future<List<Encoding>> call = pool.submit(() -> encoder.encode(inputs));
        List<Encoding> out;
        try {
            out = call.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            return failAll(inputs.size(), "encoder " + name + " did not answer within " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            return failAll(inputs.size(), "encoder " + name + " failed: " + c.getClass().getSimpleName()
                    + (c.getMessage() == null ? "" : ": " + c.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            return failAll(inputs.size(), "interrupted while encoder " + name + " was running");
        }
        if (out == null || out.size() != inputs.size()) {
            return failAll(inputs.size(), "encoder " + name + " returned " + (out == null ? "null" : out.size()
                    + " encodings") + " for " + inputs.size() + " inputs");
        }
        int dim = encoder.dimension();
        List<Encoding> checked = new ArrayList<>(out.size());
        for (Encoding e : out) {
            if (e == null) {
                checked.add(Encoding.failed("encoder " + name + " returned no encoding for this input"));
            } else if (e.ok() && e.vector().length != dim) {
                checked.add(Encoding.failed("encoder " + name + " returned " + e.vector().length
                        + " values, it declares dimension " + dim));
            } else {
                checked.add(e);
            }
        }
        return checked;
    }

    private static List<Encoding> failAll(int n, String reason) {
        List<Encoding> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Encoding.failed(reason));
        }
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
