package org.nmodal.http;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.annotation.bundle.Requirement;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Put on a whiteboard servlet (or filter) component: it registers on the {@code nmodal} context, so the Host header,
 * the token and, for {@code /api/} bodies, the content type are checked before it sees a request. Also requires the
 * bundle that provides that context.
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE})
@Requirement(namespace = "osgi.service", filter = "(objectClass=org.nmodal.http.HttpStatus)", effective = "active")
public @interface NmodalContextSelect {
    /** Prefix of the property name. */
    String PREFIX_ = "osgi.http.whiteboard.";

    /**
     * {@code osgi.http.whiteboard.context.select}.
     *
     * @return the filter selecting the {@code nmodal} context
     */
    String context_select() default NmodalHttp.CONTEXT_SELECT;
}
