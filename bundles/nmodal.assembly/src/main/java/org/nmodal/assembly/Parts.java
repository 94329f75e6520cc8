package org.nmodal.assembly;

import com.google.gson.JsonObject;
import java.util.List;
import org.nmodal.api.classify.DownstreamClassifier;
import org.nmodal.api.encoder.ModalityEncoder;
import org.nmodal.api.fusion.FusionStrategy;
import org.nmodal.api.loss.MultimodalLoss;
import org.nmodal.api.pipeline.PipelineSpec;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The parts pipelines can use, by name, kept current as bundles come and go. Several encoder services may share a
 * name (a cpu and a gpu build): the highest {@code service.ranking} takes new calls. A wrong name is an
 * {@link org.nmodal.api.InvalidInputException} naming the field and listing the names that exist.
 */
@ProviderType
public interface Parts {
    /** Holds the highest-ranked encoder of a name for one call, or null when there is none. */
    EncoderLease lease(String name);

    /** Whether an encoder of this name is registered. */
    boolean hasEncoder(String name);

    /** Names of the encoders registered for a modality, sorted. */
    List<String> encoderNames(String modality);

    /** The highest-ranked encoder of a name, which must encode {@code modality}. */
    ModalityEncoder encoder(String modality, String name, String field);

    /** A loss by name. */
    MultimodalLoss loss(String name, String field);

    /** A sample reweighter by name. */
    default org.nmodal.api.loss.SampleReweighter reweighter(String name, String field) {
        throw new org.nmodal.api.InvalidInputException(field + ": unknown reweighter '" + name + "' (none here)");
    }

    /** A fusion by name. */
    FusionStrategy fusion(String name, String field);

    /** A metadata adapter by name. */
    org.nmodal.api.metadata.MetadataAdapter adapter(String name, String field);

    /** A classifier by name. */
    DownstreamClassifier classifier(String name, String field);

    /** Checks every name in the pipeline; the first problem is an exception naming the field. */
    void validate(PipelineSpec spec);

    /** Changes whenever a part comes or goes, so that what was checked against the parts can be cached. */
    long generation();

    /**
     * Where a part comes from: kind, name, the bundle and version that provide it, its licence and, for pretrained
     * backbones, the model's origin and licence; for encoders also their version and device.
     */
    JsonObject provenance(Object service, String kind, String name);

    /** Starts telling a listener about encoders coming and going. */
    void addListener(EncoderListener listener);

    /** Stops telling it. */
    void removeListener(EncoderListener listener);
}
