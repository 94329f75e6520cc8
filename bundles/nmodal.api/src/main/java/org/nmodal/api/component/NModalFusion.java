package org.nmodal.api.component;

import java.lang.annotation.Retention;
import org.nmodal.api.NModal;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * A fusion's identity ({@code nmodal.kind}, {@code nmodal.name}, licence), declared once:
 * {@code @NModalFusion(name = "my-fusion", licence = "Apache-2.0")}.
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
