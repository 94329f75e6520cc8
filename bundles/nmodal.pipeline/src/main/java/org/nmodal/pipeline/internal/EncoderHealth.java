package org.nmodal.pipeline.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Component;

/**
 * Publishes what encoders did wrong when called (threw, wrong dimension or count, blocked past the time limit), by
 * encoder name, for {@code nmodal:components} (property {@code nmodal.health=encoders}).
 */
@Component(service = Supplier.class, property = "nmodal.health=encoders")
public final class EncoderHealth implements Supplier<Map<String, String>> {
    @Override
    public Map<String, String> get() {
        Map<String, String> out = new TreeMap<>();
        EncoderGuard.failures().forEach((name, f) -> out.put(name, "encode: " + f.reason() + " (" + f.count()
                + " time(s))"));
        return out;
    }
}
