package org.nmodal.api.component;

import java.lang.annotation.Retention;
import org.nmodal.api.NModal;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * A loss's identity ({@code nmodal.kind}, {@code nmodal.name}, licence), declared once:
 * {@code @NModalLoss(name = "my-loss", licence = "Apache-2.0")}.
 */
@ComponentPropertyType
@Retention(java.lang.annotation.RetentionPolicy.CLASS)
public @interface NModalLoss {
    String PREFIX_ = "nmodal."; // the elements are the nmodal.* properties

    String kind() default NModal.KIND_LOSS;
    String name();
    String licence();
    String description() default "";
}
