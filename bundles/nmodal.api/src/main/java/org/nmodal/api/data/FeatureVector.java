package org.nmodal.api.data;

import java.util.Objects;

/** Features computed elsewhere (a feature table column block), passed through or projected by an encoder. */
public record FeatureVector(float[] values) implements ModalityInput {
    /** @throws NullPointerException if {@code values} is null */
    public FeatureVector {
        Objects.requireNonNull(values, "values");
    }

    @Override
    public String describe() {
        return "feature vector [" + values.length + "]";
    }
}
