/** The JSON forms of the serving API's values, as the REST API sends them (the dashboard shows the same). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.nmodal.rest;
