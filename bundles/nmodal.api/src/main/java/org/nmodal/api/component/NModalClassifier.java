package org.nmodal.api.component;

import java.lang.annotation.Retention;
import org.nmodal.api.NModal;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * A classifier's identity ({@code nmodal.kind}, {@code nmodal.name}, licence), declared once:
 * {@code @NModalClassifier(name = "my-classifier", licence = "Apache-2.0")}.
 */
@ComponentPropertyType
@Retention(java.lang.annotation.RetentionPolicy.CLASS)
public @interface NModalClassifier {
    String PREFIX_ = "nmodal."; // the elements are the nmodal.* properties

    String kind() default NModal.KIND_CLASSIFIER;
    String name();
    String licence();
    String description() default "";
}
