package org.nmodal.api.component;

import java.lang.annotation.Retention;
import org.nmodal.api.NModal;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * A metadata adapter's identity ({@code nmodal.kind}, {@code nmodal.name}, {@code nmodal.modality}, licence),
 * declared once: {@code @NModalAdapter(name = "my-tags", modality = "meta.tags", licence = "Apache-2.0")}.
 */
@ComponentPropertyType
@Retention(java.lang.annotation.RetentionPolicy.CLASS)
public @interface NModalAdapter {
    String PREFIX_ = "nmodal."; // the elements are the nmodal.* properties

    String kind() default NModal.KIND_ADAPTER;
    String name();
    String modality();
    String licence();
    String description() default "";
}
