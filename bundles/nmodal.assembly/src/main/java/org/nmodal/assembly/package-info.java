/**
 * Pipeline assembly for the bundles that build on it (serving): the running parts by name ({@link
 * org.nmodal.assembly.Parts}, with encoder leases that a leaving encoder waits for), guarded and cached feature
 * extraction ({@link org.nmodal.assembly.Features}), the parsed pipeline file and provenance manifests.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.nmodal.assembly;
