package org.nmodal.console.internal;

import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.nmodal.api.NModal;
import org.nmodal.api.data.AudioFile;
import org.nmodal.api.data.FeatureVector;
import org.nmodal.api.data.ImageFile;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.data.VideoFile;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@code nmodal} Gogo commands. Each prints its answer; a failure is one line in an IllegalArgumentException. */
@Component(service = NModalCommands.class, property = {
        "osgi.command.scope=nmodal",
        "osgi.command.function=components", "osgi.command.function=engines", "osgi.command.function=encode",
        "osgi.command.function=help", "osgi.command.function=boot"})
public final class NModalCommands {
    static final String SCOPE = "nmodal";
    private final BundleContext context;
    private final BootClock clock;
    private final ComponentList components;

    /** Creates the commands. */
    @Activate
    public NModalCommands(BundleContext context, @Reference BootClock clock, @Reference ComponentList components) {
        this.context = context;
        this.clock = clock;
        this.components = components;
    }

    /** Prints how long start-up took. */
    @Descriptor("prints how long the runtime took from JVM start until every bundle was active")
    public void boot() {
        String inactive = clock.inactive();
        System.out.printf(Locale.ROOT, "all bundles active after %d ms (JVM start to last bundle started: %s)%n",
                clock.bootMillis(), clock.lastBundle());
        if (!inactive.isEmpty()) {
            System.out.println("not active: " + inactive);
        }
    }

    /** Lists the nmodal commands with their usage. */
    @Descriptor("lists nmodal's commands and how to call them")
    public void help() {
        System.out.print(Usage.all(NModalCommands.class, SCOPE));
    }

    /** Prints every nmodal service. */
    @Descriptor("lists every nmodal component: kind, name, modality, dimension, device, bundle, version, licence")
    public void components() {
        Table table = new Table("KIND", "NAME", "MODALITY", "DIM", "DEVICE", "BUNDLE", "VERSION", "LICENCE", "STATE");
        List<String> failures = new ArrayList<>();
        for (org.nmodal.api.ComponentInfo r : components.list()) {
            table.row(r.kind(), r.name(), r.modality(), r.dimension(), r.device(), r.bundle(), r.version(),
                    r.licence(), r.failure() == null ? "ok" : "FAILED");
            if (r.failure() != null) {
                failures.add(r.kind() + " " + r.name() + " failed: " + r.failure());
            }
        }
        System.out.print(table);
        System.out.println(table.size() + " component(s)" + (failures.isEmpty() ? "" : ", " + failures.size()
                + " failed:"));
        failures.forEach(f -> System.out.println("  " + f));
        components.problems().forEach(p -> System.out.println("load folder: " + p));
    }

    /** Prints the DJL engines. */
    @Descriptor("lists the DJL engines with their versions and devices")
    public void engines() {
        Table table = new Table("ENGINE", "VERSION", "DEVICE", "USABLE GPUS", "LICENCE");
        List<ServiceReference<Engine>> refs = references(Engine.class, null);
        // the engines start on first use: getting one starts them all and fills in version, device and GPUs
        for (ServiceReference<Engine> ref : refs) {
            if (context.getService(ref) != null) {
                context.ungetService(ref);
            }
        }
        for (ServiceReference<Engine> ref : refs) {
            table.row(prop(ref, NModal.NAME), prop(ref, "engine.version"), prop(ref, NModal.DEVICE),
                    prop(ref, "engine.gpus"), prop(ref, NModal.LICENCE));
        }
        if (table.size() == 0) {
            throw new IllegalArgumentException("no DJL engine is running (is bundle nmodal.djl active?)");
        }
        System.out.print(table);
    }

    /** Encodes one input. */
    @Descriptor("encodes one input and prints the encoder, dimension, norm and the first values")
    public void encode(
            @Descriptor("encoder name (default: the highest-ranked encoder of the modality)")
            @Parameter(names = {"-e", "--encoder"}, absentValue = "") String encoderName,
            @Descriptor("modality: text, image, video, audio or any other registered key") String modality,
            @Descriptor("input: the text itself, a media file path, or comma-separated numbers") String input)
            throws Exception {
        ServiceReference<ModalityEncoder> ref = pickEncoder(modality, encoderName);
        ModalityEncoder encoder = context.getService(ref);
        if (encoder == null) {
            throw new IllegalArgumentException("encoder '" + prop(ref, NModal.NAME) + "' failed to start; see the log");
        }
        try {
            ModalityInput in = toInput(modality, input);
            long t0 = System.nanoTime();
            Encoding e = encoder.encode(List.of(in)).get(0);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (!e.ok()) {
                throw new IllegalArgumentException(encoder.name() + " could not encode " + in.describe() + ": " + e.error());
            }
            float[] v = e.vector();
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            StringBuilder first = new StringBuilder("[");
            for (int i = 0; i < Math.min(8, v.length); i++) {
                first.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", v[i]));
            }
            first.append(v.length > 8 ? ", ...]" : "]");
            System.out.printf(Locale.ROOT, "encoder    %s (%s, %s, version %s)%n", encoder.name(), encoder.modality(),
                    encoder.device(), encoder.version());
            System.out.printf(Locale.ROOT, "input      %s%n", in.describe());
            System.out.printf(Locale.ROOT, "dimension  %d%n", v.length);
            System.out.printf(Locale.ROOT, "norm       %.4f%n", Math.sqrt(norm));
            System.out.printf(Locale.ROOT, "first      %s%n", first);
            System.out.printf(Locale.ROOT, "time       %.1f ms%n", ms);
        } finally {
            context.ungetService(ref);
        }
    }

    private ServiceReference<ModalityEncoder> pickEncoder(String modality, String name) {
        List<ServiceReference<ModalityEncoder>> all = references(ModalityEncoder.class, null);
        List<ServiceReference<ModalityEncoder>> matching = new ArrayList<>();
        for (ServiceReference<ModalityEncoder> r : all) {
            if (modality.equals(prop(r, NModal.MODALITY)) && (name.isEmpty() || name.equals(prop(r, NModal.NAME)))) {
                matching.add(r);
            }
        }
        if (matching.isEmpty()) {
            List<String> known = new ArrayList<>();
            all.forEach(r -> known.add(prop(r, NModal.NAME) + " (" + prop(r, NModal.MODALITY) + ")"));
            throw new IllegalArgumentException((name.isEmpty() ? "no encoder for modality '" + modality + "'"
                    : "no encoder '" + name + "' for modality '" + modality + "'") + "; available: "
                    + (known.isEmpty() ? "none" : String.join(", ", known)));
        }
        // highest service ranking wins, then the oldest service, as the framework itself orders references
        matching.sort(Comparator.reverseOrder());
        return matching.get(0);
    }

    static ModalityInput toInput(String modality, String input) {
        switch (modality) {
            case "text":
                return new TextInput(input);
            case "image":
                return new ImageFile(existing(input));
            case "video":
                return new VideoFile(existing(input));
            case "audio":
                return new AudioFile(existing(input));
            default:
                if (input.matches("[-+0-9.eE, ]+")) {
                    String[] parts = input.split(",");
                    float[] v = new float[parts.length];
                    for (int i = 0; i < parts.length; i++) {
                        v[i] = Float.parseFloat(parts[i].trim());
                    }
                    return new FeatureVector(v);
                }
                return new TextInput(input);
        }
    }

    private static Path existing(String file) {
        Path p = Path.of(file).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no such file: " + p);
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    private <S> List<ServiceReference<S>> references(Class<S> type, String filter) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(type == null ? null : type.getName(), filter);
            List<ServiceReference<S>> list = new ArrayList<>();
            if (refs != null) {
                for (ServiceReference<?> r : refs) {
                    list.add((ServiceReference<S>) r);
                }
            }
            list.sort(Comparator.comparing((ServiceReference<S> r) -> String.valueOf(r.getProperty(NModal.KIND)))
                    .thenComparing(r -> String.valueOf(r.getProperty(NModal.NAME)))
                    .thenComparing(r -> (Long) r.getProperty(Constants.SERVICE_ID)));
            return list;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String prop(ServiceReference<?> ref, String key) {
        Object v = ref.getProperty(key);
        return v == null ? null : String.valueOf(v);
    }
}
