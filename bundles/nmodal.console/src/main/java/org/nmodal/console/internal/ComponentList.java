package org.nmodal.console.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.nmodal.checks.LoadFolderProblems;
import org.nmodal.api.ComponentInfo;
import org.nmodal.api.Components;
import org.nmodal.api.NModal;
import org.nmodal.api.pipeline.EncoderHealth;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
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
 * activation (from Declarative Services) or misbehaviour when called ({@link EncoderHealth}). {@code nmodal:components}
 * prints it and the dashboard shows it.
 */
@Component(service = {ComponentList.class, Components.class})
public final class ComponentList implements Components {
    private final BundleContext context;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EncoderHealth health;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile LoadFolderProblems loadFolder;

    /** Lists from the framework's service registry. */
    @Activate
    public ComponentList(BundleContext context) {
        this.context = context;
    }

    @Override
    public List<ComponentInfo> list() {
        Map<String, String> misbehaving = health();
        List<ComponentInfo> rows = new ArrayList<>();
        for (ServiceReference<?> ref : references("(" + NModal.KIND + "=*)")) {
            Bundle bundle = ref.getBundle();
            if (bundle == null) {
                continue; // unregistered while we were listing (a bundle leaving)
            }
            String kind = prop(ref, NModal.KIND);
            if (NModal.KIND_ENGINE.equals(kind)) {
                start(ref); // engines start on first use; their device is known once started
            }
            // a configuration's 'device' (Config Admin) wins over the component's declared default
            String device = prop(ref, "device") != null ? prop(ref, "device") : prop(ref, NModal.DEVICE);
            if (NModal.KIND_ENCODER.equals(kind)) {
                device = actualDevice(ref, device);
            }
            String name = prop(ref, NModal.NAME);
            String failed = failure(ref);
            if (failed == null && !NModal.KIND_ENGINE.equals(kind)) {
                failed = disagreement(ref);
            }
            if (failed == null && NModal.KIND_ENCODER.equals(kind) && misbehaving.containsKey(name)) {
                failed = misbehaving.get(name);
            }
            rows.add(new ComponentInfo(kind, name, prop(ref, NModal.MODALITY), prop(ref, NModal.DIMENSION), device,
                    bundle.getSymbolicName(), bundle.getVersion().toString(), prop(ref, NModal.LICENCE), failed));
        }
        rows.sort(Comparator.comparing((ComponentInfo r) -> String.valueOf(r.kind())).thenComparing(r -> String.valueOf(r.name())));
        return rows;
    }

    @Override
    public List<String> problems() {
        LoadFolderProblems l = loadFolder;
        return l == null ? List.of() : l.problems();
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

    /** Why the assembler refuses the part: its properties disagree with its methods ({@code Declared}); or null. */
    private String disagreement(ServiceReference<?> ref) {
        Object service;
        try {
            service = context.getService(ref);
        } catch (RuntimeException e) {
            return null; // its activation failure shows instead
        }
        if (service == null) {
            return null;
        }
        try {
            Map<String, Object> props = new java.util.HashMap<>();
            for (String key : ref.getPropertyKeys()) {
                props.put(key, ref.getProperty(key));
            }
            String why = org.nmodal.data.Declared.disagreement(service, props);
            return why == null ? null : "rejected: " + why;
        } finally {
            context.ungetService(ref);
        }
    }

    /** What encoders did wrong when called (throw, wrong dimension, block), by name. */
    Map<String, String> health() {
        Map<String, String> out = new java.util.TreeMap<>();
        EncoderHealth h = health;
        if (h != null) {
            h.failures().forEach((name, f) -> out.put(name, "encode: " + f.reason() + " (" + f.count() + " time(s))"));
        }
        return out;
    }

    private void start(ServiceReference<?> ref) {
        try {
            if (context.getService(ref) != null) {
                context.ungetService(ref);
            }
        } catch (RuntimeException e) {
            // its state shows in the listing
        }
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
