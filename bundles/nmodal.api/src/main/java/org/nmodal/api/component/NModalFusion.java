package org.nmodal.api.component;

import java.lang.annotation.Retention;
import org.nmodal.api.NModal;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * A fusion's identity, declared once on its component class, e.g. {@code @NModalFusion(name = "my-fusion", licence
 * = "Apache-2.0")}. Its elements become the service properties {@code nmodal.kind}, {@code nmodal.name}, {@code
 * nmodal.licence} and {@code nmodal.description}; they must agree with the service's methods (a service that
 * disagrees is not used).
 */
@ComponentPropertyType
@Retention(java.lang.annotation.RetentionPolicy.CLASS)
public @interface NModalFusion {
    String PREFIX_ = "nmodal."; // the elements are the nmodal.* properties

    String kind() default NModal.KIND_FUSION;
    String name();
    String licence();
    String description() default "";
}
