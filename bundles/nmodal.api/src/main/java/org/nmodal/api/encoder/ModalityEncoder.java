package org.nmodal.api.encoder;

import java.util.List;
import org.nmodal.api.data.ModalityInput;

/**
 * A frozen feature extractor for one modality, registered as an OSGi service with the properties
 * {@code nmodal.kind=encoder}, {@code nmodal.name}, {@code nmodal.modality} and {@code nmodal.dimension}.
 *
 * <p>Implementations must be thread-safe: the runtime encodes from several threads, and a hot swap can
 * happen while calls are in flight (the runtime drains them before deactivation).
 */
public interface ModalityEncoder {
    /** Name used in pipeline files, unique among encoders. */
    String name();

    /** Modality key this encoder serves ({@code text}, {@code image}, ...). */
    String modality();

    /** Length of every vector this encoder returns. */
    int dimension();

    /** Device actually used ({@code cpu}, {@code gpu:0}), after any fallback. */
    String device();

    /**
     * Version of the encoder's output: it must change whenever the same input would give another vector,
     * because feature caches are keyed by it.
     */
    String version();

    /**
     * Encodes a batch. A bad item does not fail the batch: its {@link Encoding} carries the error and the
     * other items are still encoded.
     *
     * @param inputs inputs of this encoder's modality; an input of the wrong type gives a failed encoding
     * @return one encoding per input, in order
     */
    List<Encoding> encode(List<? extends ModalityInput> inputs);

    /**
     * Encodes one input.
     *
     * @throws EncodingException naming the input when it cannot be encoded
     */
    default float[] encode(ModalityInput input) throws EncodingException {
        Encoding result = encode(List.of(input)).get(0);
        if (!result.ok()) {
            throw new EncodingException(input.describe() + ": " + result.error());
        }
        return result.vector();
    }
}
