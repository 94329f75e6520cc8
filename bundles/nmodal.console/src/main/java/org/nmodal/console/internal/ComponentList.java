package org.nmodal.console.internal;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.nmodal.api.NModal;
import org.nmodal.api.encoder.ModalityEncoder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Every nmodal component (service with {@code nmodal.kind}) with its bundle, licence, actual device and state: failed
 * activation (from Declarative Services) or misbehaviour when called (from the pipeline bundle's encoder guard).
 * {@code nmodal:components} prints it; as a {@code Supplier<String>} with {@code nmodal.dashboard=components} it gives
 * the same list as JSON to the web dashboard.
 */
@Component(service = {ComponentList.class, Supplier.class}, property = "nmodal.dashboard=components")
public final class ComponentList implements Supplier<String> {
    /** One component; {@code failure} is null when it is fine. */
    record Row(String kind, String name, String modality, String dimension, String device, String bundle,
            String version, String licence, String failure) {}

    private final BundleContext context;

    /** Lists from the framework's service registry. */
    @Activate
    public ComponentList(BundleContext context) {
        this.context = context;
    }

    /** The components, sorted by kind and name. */
    List<Row> rows() {
        Map<String, String> misbehaving = health();
        List<Row> rows = new ArrayList<>();
        for (ServiceReference<?> ref : references("(" + NModal.KIND + "=*)")) {
            Bundle bundle = ref.getBundle();
            if (bundle == null) {
                continue; // unregistered while we were listing (a bundle leaving)
            }
            String kind = prop(ref, NModal.KIND);
            // a configuration's 'device' (Config Admin) wins over the component's declared default
            String device = prop(ref, "device") != null ? prop(ref, "device") : prop(ref, NModal.DEVICE);
            if (NModal.KIND_ENCODER.equals(kind)) {
                device = actualDevice(ref, device);
            }
            String name = prop(ref, NModal.NAME);
            String failed = failure(ref);
            if (failed == null && NModal.KIND_ENCODER.equals(kind) && misbehaving.containsKey(name)) {
                failed = misbehaving.get(name);
            }
            rows.add(new Row(kind, name, prop(ref, NModal.MODALITY), prop(ref, NModal.DIMENSION), device,
                    bundle.getSymbolicName(), bundle.getVersion().toString(), prop(ref, NModal.LICENCE), failed));
        }
        rows.sort(Comparator.comparing((Row r) -> String.valueOf(r.kind())).thenComparing(r -> String.valueOf(r.name())));
        return rows;
    }

    @Override
    public String get() {
        JsonArray out = new JsonArray();
        for (Row r : rows()) {
            JsonObject o = new JsonObject();
            o.addProperty("kind", r.kind());
            o.addProperty("name", r.name());
            o.addProperty("modality", r.modality());
            o.addProperty("dimension", r.dimension());
            o.addProperty("device", r.device());
            o.addProperty("bundle", r.bundle());
            o.addProperty("version", r.version());
            o.addProperty("licence", r.licence());
            o.addProperty("state", r.failure() == null ? "ok" : "failed");
            o.addProperty("failure", r.failure());
            out.add(o);
        }
        return out.toString();
    }

    /**
     * Why the component behind a service failed to activate (Declarative Services keeps the exception), or null.
     * Asking for the service first makes a delayed component try to activate.
     */
    String failure(ServiceReference<?> ref) {
        Object id = ref.getProperty("component.id");
        ServiceReference<ServiceComponentRuntime> scrRef = context.getServiceReference(ServiceComponentRuntime.class);
        if (id == null || scrRef == null) {
            return null;
        }
        ServiceComponentRuntime scr = context.getService(scrRef);
        org.osgi.framework.Bundle bundle = ref.getBundle();
        if (scr == null || bundle == null) {
            return null;
        }
        try {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(bundle)) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (id.equals(c.id) && c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        return "activation: " + rootCause(c.failure);
                    }
                }
            }
            return null;
        } finally {
            context.ungetService(scrRef);
        }
    }

    /** The innermost exception of a stack trace (constructor injection wraps the component's own exception). */
    static String rootCause(String trace) {
        if (trace == null || trace.isBlank()) {
            return "activation failed";
        }
        String cause = trace.lines().findFirst().orElse("");
        for (String line : (Iterable<String>) trace.lines()::iterator) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length());
            }
        }
        return cause;
    }

    /** What the pipeline bundle saw encoders do wrong at encode time (throw, wrong dimension, block), by name. */
    @SuppressWarnings("unchecked")
    Map<String, String> health() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (ServiceReference<?> ref : references("(nmodal.health=encoders)")) {
            Object s = context.getService(ref);
            try {
                if (s instanceof java.util.function.Supplier<?> supplier && supplier.get() instanceof Map<?, ?> m) {
                    ((Map<String, String>) m).forEach(out::put);
                }
            } finally {
                context.ungetService(ref);
            }
        }
        return out;
    }

    private String actualDevice(ServiceReference<?> ref, String configured) {
        Object service = context.getService(ref);
        try {
            if (service instanceof ModalityEncoder e) {
                String actual = e.device();
                return configured == null || configured.equals(actual) ? actual : actual + " (asked " + configured + ")";
            }
            return "FAILED";
        } catch (RuntimeException ex) {
            return "FAILED";
        } finally {
            if (service != null) {
                context.ungetService(ref);
            }
        }
    }

    private List<ServiceReference<?>> references(String filter) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(null, filter);
            return refs == null ? List.of() : List.of(refs);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String prop(ServiceReference<?> ref, String key) {
        Object v = ref.getProperty(key);
        return v == null ? null : String.valueOf(v);
    }
}
