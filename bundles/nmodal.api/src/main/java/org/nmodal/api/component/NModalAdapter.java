package org.nmodal.api.component;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.nmodal.api.NModal;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The identity of a metadata adapter service, declared once on its component class, for example
 * {@code @NModalAdapter(name = "my-adapter", modality = "meta.tags", licence = "Apache-2.0")}: it becomes the service
 * properties {@code nmodal.kind=adapter}, {@code nmodal.name}, {@code nmodal.modality} and {@code nmodal.licence}; name and
 * modality must agree with {@code name()} and {@code modality()}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface NModalAdapter {
    /** Makes the element names the {@code nmodal.*} property names. */
    String PREFIX_ = "nmodal.";

    /** The kind; leave it as it is. */
    String kind() default NModal.KIND_ADAPTER;

    /** The name pipeline files use. */
    String name();

    /** The modality key it serves ({@code text}, {@code image}, {@code meta.tags}, ...). */
    String modality();

    /** SPDX licence identifier of the component (and of pretrained weights it carries). */
    String licence();

    /** One line shown by the console; empty for none. */
    String description() default "";
}
