/** Names shared by every nmodal service: the service properties the pipeline assembler and the console filter on. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package org.nmodal.api;
