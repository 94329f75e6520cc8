package org.nmodal.pipeline.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.NModal;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.fusion.FusionStrategy;
import org.nmodal.api.loss.MultimodalLoss;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The parts pipelines can use, by name, kept current as bundles come and go (dynamic, greedy references). It also
 * checks a pipeline against them, so a wrong name is one line that lists the names that exist.
 */
@Component(service = Registry.class)
public final class Registry {
    private final Map<String, ModalityEncoder> encoders = new ConcurrentHashMap<>();
    private final Map<String, MultimodalLoss> losses = new ConcurrentHashMap<>();
    private final Map<String, FusionStrategy> fusions = new ConcurrentHashMap<>();
    private final Map<String, DownstreamClassifier> classifiers = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEncoder(ModalityEncoder s, Map<String, Object> props) {
        encoders.put(name(props, s.name()), s);
    }

    void removeEncoder(ModalityEncoder s, Map<String, Object> props) {
        encoders.remove(name(props, s.name()), s);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addLoss(MultimodalLoss s, Map<String, Object> props) {
        losses.put(name(props, s.name()), s);
    }

    void removeLoss(MultimodalLoss s, Map<String, Object> props) {
        losses.remove(name(props, s.name()), s);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addFusion(FusionStrategy s, Map<String, Object> props) {
        fusions.put(name(props, s.name()), s);
    }

    void removeFusion(FusionStrategy s, Map<String, Object> props) {
        fusions.remove(name(props, s.name()), s);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addClassifier(DownstreamClassifier s, Map<String, Object> props) {
        classifiers.put(name(props, s.name()), s);
    }

    void removeClassifier(DownstreamClassifier s, Map<String, Object> props) {
        classifiers.remove(name(props, s.name()), s);
    }

    private static String name(Map<String, Object> props, String fallback) {
        Object n = props.get(NModal.NAME);
        return n == null ? fallback : n.toString();
    }

    ModalityEncoder encoder(String modality, String name, String field) {
        ModalityEncoder e = find(encoders, name, field, "encoder", x -> x.modality().equals(modality));
        if (!e.modality().equals(modality)) {
            throw new InvalidInputException(field + ": encoder '" + name + "' encodes " + e.modality() + ", not "
                    + modality + " (" + modality + " encoders: " + names(encoders, x -> x.modality().equals(modality)) + ")");
        }
        return e;
    }

    MultimodalLoss loss(String name, String field) {
        return find(losses, name, field, "loss", x -> true);
    }

    FusionStrategy fusion(String name, String field) {
        return find(fusions, name, field, "fusion", x -> true);
    }

    DownstreamClassifier classifier(String name, String field) {
        return find(classifiers, name, field, "classifier", x -> true);
    }

    /**
     * Checks every name in the pipeline; the first problem is an {@link InvalidInputException} naming the field.
     */
    void validate(PipelineSpec spec) {
        String f = spec.file().getFileName() + ": ";
        spec.encoders().forEach((modality, name) -> encoder(modality, name, f + "encoders." + modality));
        loss(spec.loss(), f + "loss.name");
        fusion(spec.fusion(), f + "fusion");
        for (int i = 0; i < spec.classifiers().size(); i++) {
            classifier(spec.classifiers().get(i), f + "classifiers[" + i + "]");
        }
    }

    private static <S> S find(Map<String, S> map, String name, String field, String kind, Function<S, Boolean> fits) {
        S s = map.get(name);
        if (s == null) {
            throw new InvalidInputException(field + ": unknown " + kind + " '" + name + "' (available: "
                    + names(map, fits) + ")");
        }
        return s;
    }

    private static <S> String names(Map<String, S> map, Function<S, Boolean> fits) {
        TreeMap<String, S> sorted = new TreeMap<>(map);
        String list = String.join(", ", sorted.entrySet().stream().filter(e -> fits.apply(e.getValue()))
                .map(Map.Entry::getKey).toList());
        return list.isEmpty() ? "none" : list;
    }
}
