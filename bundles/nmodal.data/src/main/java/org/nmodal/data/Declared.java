package org.nmodal.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.fusion.FusionStrategy;
import org.nmodal.api.loss.MultimodalLoss;
import org.nmodal.api.metadata.MetadataAdapter;

/**
 * Whether a part's service properties agree with its methods. Pipelines select parts by the properties and call the
 * methods, so a service declaring {@code nmodal.dimension=64} that returns 32 values would fail far from its cause;
 * the assembler refuses it instead and {@code nmodal:components} shows why.
 */
public final class Declared {
    private Declared() {}

    /**
     * What disagrees, as one line ({@code nmodal.dimension is 64 but dimension() returns 32}), or null when the
     * properties given match the methods; absent properties are not compared.
     */
    public static String disagreement(Object service, Map<String, ?> properties) {
        List<String> out = new ArrayList<>();
        try {
            if (service instanceof ModalityEncoder e) {
                compare(out, properties, "name", e.name(), "modality", e.modality(), "dimension", e.dimension());
            } else if (service instanceof MetadataAdapter a) {
                compare(out, properties, "name", a.name(), "modality", a.modality());
            } else if (service instanceof MultimodalLoss l) {
                compare(out, properties, "name", l.name());
            } else if (service instanceof FusionStrategy f) {
                compare(out, properties, "name", f.name());
            } else if (service instanceof DownstreamClassifier c) {
                compare(out, properties, "name", c.name());
            }
        } catch (RuntimeException ex) {
            out.add("its name(), modality() or dimension() throws " + ex);
        }
        return out.isEmpty() ? null : String.join("; ", out);
    }

    /** Pairs of method name and value; the property is {@code nmodal.<method>}. */
    private static void compare(List<String> out, Map<String, ?> properties, Object... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            Object declared = properties.get("nmodal." + pairs[i]);
            if (declared != null && !String.valueOf(declared).equals(String.valueOf(pairs[i + 1]))) {
                out.add("nmodal." + pairs[i] + " is " + declared + " but " + pairs[i] + "() returns " + pairs[i + 1]);
            }
        }
    }
}
