/** Component property types: a part's identity ({@code nmodal.*} service properties) declared once. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.nmodal.api.component;
