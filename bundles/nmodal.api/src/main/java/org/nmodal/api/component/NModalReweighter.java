package org.nmodal.api.component;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.nmodal.api.NModal;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The identity of a reweighter service ({@code SampleReweighter}), declared once on its component class, for example
 * {@code @NModalReweighter(name = "my-reweighter", licence = "Apache-2.0")}: it becomes the service properties
 * {@code nmodal.kind=reweighter}, {@code nmodal.name} and {@code nmodal.licence}; the name must agree with {@code name()}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface NModalReweighter {
    /** Makes the element names the {@code nmodal.*} property names. */
    String PREFIX_ = "nmodal.";

    /** The kind; leave it as it is. */
    String kind() default NModal.KIND_REWEIGHTER;

    /** The name pipeline files use. */
    String name();

    /** SPDX licence identifier of the component. */
    String licence();

    /** One line shown by the console; empty for none. */
    String description() default "";
}
