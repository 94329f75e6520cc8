package org.nmodal.api;

/**
 * One nmodal component (a service with {@link NModal#KIND}) as the console and the dashboard list it.
 *
 * @param kind its kind ({@link NModal#KIND_ENCODER}, ...)
 * @param name its name in pipeline files
 * @param modality the modality it serves, or null
 * @param dimension its output dimension, or null
 * @param device the device it actually uses (with the one asked for when they differ), or null
 * @param bundle the bundle that provides it
 * @param version that bundle's version
 * @param licence its licence
 * @param failure why it failed (activation or misbehaviour when called), or null when it is fine
 */
public record ComponentInfo(String kind, String name, String modality, String dimension, String device,
        String bundle, String version, String licence, String failure) {}
