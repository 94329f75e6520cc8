package org.nmodal.api.component;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nmodal.api.NModal;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.fusion.FusionStrategy;
import org.nmodal.api.loss.MultimodalLoss;
import org.nmodal.api.loss.SampleReweighter;
import org.nmodal.api.metadata.MetadataAdapter;

/**
 * Whether a part's service properties agree with its methods. Pipelines select parts by the properties and call the
 * methods, so a service that says {@code nmodal.dimension=64} but returns 32 vectors would fail far from its cause;
 * the assembler refuses it instead and {@code nmodal:components} shows why.
 */
public final class Declared {
    private Declared() {}

    /**
     * What disagrees, as one line ({@code "nmodal.dimension is 64 but dimension() returns 32"}), or null when the
     * declared properties match the methods. Properties that are absent are not compared; a method that throws counts
     * as a disagreement.
     *
     * @param service the service object
     * @param properties its service properties
     */
    public static String disagreement(Object service, Map<String, ?> properties) {
        List<String> problems = new ArrayList<>();
        try {
            if (service instanceof ModalityEncoder e) {
                compare(problems, properties, NModal.NAME, "name()", e.name());
                compare(problems, properties, NModal.MODALITY, "modality()", e.modality());
                compare(problems, properties, NModal.DIMENSION, "dimension()", e.dimension());
                compare(problems, properties, NModal.KIND, "its interface (ModalityEncoder)", NModal.KIND_ENCODER);
            } else if (service instanceof MetadataAdapter a) {
                compare(problems, properties, NModal.NAME, "name()", a.name());
                compare(problems, properties, NModal.MODALITY, "modality()", a.modality());
            } else if (service instanceof MultimodalLoss l) {
                compare(problems, properties, NModal.NAME, "name()", l.name());
            } else if (service instanceof FusionStrategy f) {
                compare(problems, properties, NModal.NAME, "name()", f.name());
            } else if (service instanceof DownstreamClassifier c) {
                compare(problems, properties, NModal.NAME, "name()", c.name());
            } else if (service instanceof SampleReweighter r) {
                compare(problems, properties, NModal.NAME, "name()", r.name());
            }
        } catch (RuntimeException ex) {
            problems.add("its identity methods throw " + ex);
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private static void compare(List<String> problems, Map<String, ?> properties, String key, String method,
            Object actual) {
        Object declared = properties.get(key);
        if (declared != null && !String.valueOf(declared).equals(String.valueOf(actual))) {
            problems.add(key + " is " + declared + " but " + method + (method.endsWith(")") && !method.startsWith("its")
                    ? " returns " : " says ") + actual);
        }
    }
}
