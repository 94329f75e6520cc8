/**
 * nmodal's one HTTP server: the name of the servlet context every nmodal servlet selects ({@link
 * org.nmodal.http.NmodalHttp}, {@link org.nmodal.http.NmodalContextSelect}) and the server's state ({@link
 * org.nmodal.http.HttpStatus}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.nmodal.http;
