package org.nmodal.api.data;

import java.util.Locale;

/** Which part of a data set a post belongs to. */
public enum Split {
    /** Fits encoders' heads and classifiers. */
    TRAIN,
    /** Early stopping and model selection. */
    DEV,
    /** Reported results only. */
    TEST,
    /** No label use at all (serving, broadening pools). */
    UNLABELLED;

    /**
     * Parses a split name case-insensitively ({@code train}, {@code dev}, {@code test}, {@code unlabelled}).
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static Split parse(String name) {
        if (name == null || name.isBlank()) {
            return UNLABELLED;
        }
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.equals("VALID") || n.equals("VALIDATION")) {
            return DEV;
        }
        try {
            return valueOf(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown split '" + name + "' (expected train, dev, test or unlabelled)");
        }
    }
}
