/**
 * Pipeline assembly for the bundles that build on it (serving): the running parts by name ({@link
 * org.nmodal.assembly.Parts}, with encoder leases that a leaving encoder waits for), the parsed pipeline file and
 * provenance manifests. Feature extraction moved to {@code org.nmodal.features} (hence 2.0.0).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package org.nmodal.assembly;
