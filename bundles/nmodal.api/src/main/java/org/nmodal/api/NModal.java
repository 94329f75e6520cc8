package org.nmodal.api;

/**
 * Service property names and values carried by every nmodal service.
 *
 * <p>The assembler selects parts with LDAP filters on these properties, for example
 * {@code (&(nmodal.kind=encoder)(nmodal.modality=text))}, and the console lists them.
 */
public interface NModal {
    /** What the service is: one of the {@code KIND_*} values. */
    String KIND = "nmodal.kind";
    /** Unique name within its kind, used in pipeline files ({@code "minilm"}, {@code "concat"}). */
    String NAME = "nmodal.name";
    /** Modality key an encoder or adapter serves ({@code text}, {@code image}, {@code meta.tags}, ...). */
    String MODALITY = "nmodal.modality";
    /** Output dimension of an encoder. */
    String DIMENSION = "nmodal.dimension";
    /** Device the component was configured for ({@code cpu}, {@code gpu}, {@code gpu:N}). */
    String DEVICE = "nmodal.device";
    /** SPDX licence identifier of the component and, for pretrained backbones, of its weights. */
    String LICENCE = "nmodal.licence";
    /** One-line human description shown by the console. */
    String DESCRIPTION = "nmodal.description";

    /** {@link #KIND} of {@code org.nmodal.api.encoder.ModalityEncoder} services. */
    String KIND_ENCODER = "encoder";
    /** {@link #KIND} of {@code org.nmodal.api.metadata.MetadataAdapter} services. */
    String KIND_ADAPTER = "adapter";
    /** {@link #KIND} of {@code org.nmodal.api.loss.MultimodalLoss} services. */
    String KIND_LOSS = "loss";
    /** {@link #KIND} of {@code org.nmodal.api.loss.SampleReweighter} services. */
    String KIND_REWEIGHTER = "reweighter";
    /** {@link #KIND} of {@code org.nmodal.api.fusion.FusionStrategy} services. */
    String KIND_FUSION = "fusion";
    /** {@link #KIND} of {@code org.nmodal.api.classify.DownstreamClassifier} services. */
    String KIND_CLASSIFIER = "classifier";
    /** {@link #KIND} of tensor engines published by the platform. */
    String KIND_ENGINE = "engine";
    /** {@link #KIND} of {@code org.nmodal.api.media.MediaDecoder} services. */
    String KIND_MEDIA = "media";
}
