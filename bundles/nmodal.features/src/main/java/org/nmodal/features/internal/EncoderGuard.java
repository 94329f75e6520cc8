package org.nmodal.features.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
import org.nmodal.api.pipeline.EncoderFailure;

/**
 * Calls encoders so that a misbehaving one (an extension that throws, returns vectors of the wrong length or the
 * wrong number of them, or blocks) costs only its own inputs: they come back as failed encodings with one line that
 * names the encoder and what it did, and the encoder's last failure is kept for the status. A call that blocks past
 * the timeout is abandoned (its thread interrupted) and the caller goes on. Owned by one component, which closes
 * it (and so its threads) when it deactivates.
 */
final class EncoderGuard implements AutoCloseable {
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "nmodal-encode-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });
    private final Map<String, EncoderFailure> failures = new ConcurrentHashMap<>();

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /**
     * Encodes with a time limit; never throws for what the encoder does.
     *
     * @param name the encoder's name in pipelines (for the error lines)
     * @param timeoutMs how long the call may take
     */
    List<Encoding> encode(ModalityEncoder encoder, String name, List<? extends ModalityInput> inputs,
            long timeoutMs) {
        Future<List<Encoding>> call = pool.submit(() -> encoder.encode(inputs));
        List<Encoding> out;
        try {
            out = call.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            return failAll(name, inputs.size(), "encoder " + name + " did not answer within " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            return failAll(name, inputs.size(), "encoder " + name + " failed: " + c.getClass().getSimpleName()
                    + (c.getMessage() == null ? "" : ": " + c.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            return failAll(name, inputs.size(), "interrupted while encoder " + name + " was running");
        }
        if (out == null || out.size() != inputs.size()) {
            return failAll(name, inputs.size(), "encoder " + name + " returned " + (out == null ? "null" : out.size()
                    + " encodings") + " for " + inputs.size() + " inputs");
        }
        List<Encoding> checked = new ArrayList<>(out.size());
        for (Encoding e : out) {
            if (e == null) {
                checked.add(fail(name, "encoder " + name + " returned no encoding for this input"));
            } else if (e.ok() && e.vector().length != encoder.dimension()) {
                checked.add(fail(name, "encoder " + name + " returned " + e.vector().length
                        + " values, it declares dimension " + encoder.dimension()));
            } else {
                checked.add(e);
            }
        }
        return checked;
    }

    /** The encoders that misbehaved since the runtime started, by name. */
    Map<String, EncoderFailure> failures() {
        return Map.copyOf(failures);
    }

    private List<Encoding> failAll(String name, int n, String reason) {
        List<Encoding> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(i == 0 ? fail(name, reason) : Encoding.failed(reason));
        }
        return out;
    }

    private Encoding fail(String name, String reason) {
        failures.merge(name, new EncoderFailure(name, reason, System.currentTimeMillis(), 1),
                (old, now) -> new EncoderFailure(name, reason, now.at(), old.count() + 1));
        return Encoding.failed(reason);
    }
}
