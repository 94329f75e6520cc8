package org.nmodal.api.component;

import java.lang.annotation.Retention;
import org.nmodal.api.NModal;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * An encoder's identity, declared once on its component class, e.g. {@code @NModalEncoder(name = "my-encoder",
 * modality = "text", dimension = 64, licence = "Apache-2.0")}. Its elements become the service properties {@code
 * nmodal.kind}, {@code nmodal.name}, {@code nmodal.modality}, {@code nmodal.dimension} (Integer), {@code
 * nmodal.licence} and {@code nmodal.description}; they must agree with the service's methods (a service that
 * disagrees is not used).
 */
@ComponentPropertyType
@Retention(java.lang.annotation.RetentionPolicy.CLASS)
public @interface NModalEncoder {
    String PREFIX_ = "nmodal."; // the elements are the nmodal.* properties

    String kind() default NModal.KIND_ENCODER;
    String name();
    String modality();
    int dimension();
    String licence();
    String description() default "";
}
