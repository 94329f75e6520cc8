/**
 * Component property types: a part's identity ({@code nmodal.kind}, {@code nmodal.name}, modality, dimension,
 * licence) declared once, as an annotation on the component class, instead of typed property strings. Declarative
 * Services turns the annotation into the service properties; {@link org.nmodal.api.component.Declared} checks that
 * they agree with what the service's methods return, and a service that disagrees is not used.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.nmodal.api.component;
