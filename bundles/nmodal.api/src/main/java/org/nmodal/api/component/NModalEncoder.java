package org.nmodal.api.component;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.nmodal.api.NModal;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The identity of a encoder service, declared once on its component class, for example
 * {@code @NModalEncoder(name = "my-encoder", modality = "text", dimension = 64, licence = "Apache-2.0")}: it becomes the service
 * properties {@code nmodal.kind=encoder}, {@code nmodal.name}, {@code nmodal.modality}, {@code nmodal.dimension} (an
 * Integer) and {@code nmodal.licence}, which must agree with {@code name()}, {@code modality()} and
 * {@code dimension()}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface NModalEncoder {
    /** Makes the element names the {@code nmodal.*} property names. */
    String PREFIX_ = "nmodal.";

    /** The kind; leave it as it is. */
    String kind() default NModal.KIND_ENCODER;

    /** The name pipeline files use. */
    String name();

    /** The modality key it serves ({@code text}, {@code image}, {@code meta.tags}, ...). */
    String modality();

    /** Its output dimension. */
    int dimension();

    /** SPDX licence identifier of the component (and of pretrained weights it carries). */
    String licence();

    /** One line shown by the console; empty for none. */
    String description() default "";
}
