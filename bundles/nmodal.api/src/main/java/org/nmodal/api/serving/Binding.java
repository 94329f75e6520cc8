package org.nmodal.api.serving;

/**
 * One modality bound while serving, with wall-clock times (epoch milliseconds).
 *
 * @param modality the modality
 * @param encoder its encoder
 * @param how "trained" or "reused"
 * @param version the version it produced
 * @param appeared when the encoder appeared
 * @param featured when the training posts' features were ready
 * @param bound when the version was ready
 * @param serving when serving switched to it
 */
public record Binding(String modality, String encoder, String how, int version, long appeared, long featured,
        long bound, long serving) {}
