package org.nmodal.api.data;

/**
 * One post's raw input for one modality, before encoding.
 *
 * <p>nmodal ships text, media files and precomputed feature vectors; an extension may add its own
 * input types and encoders that accept them.
 */
public interface ModalityInput {
    /** A short description for error lines, such as the file path or the first words of a text. */
    String describe();
}
