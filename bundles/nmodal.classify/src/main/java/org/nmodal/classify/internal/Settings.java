package org.nmodal.classify.internal;

import java.util.Map;
import java.util.TreeMap;

/** A pipeline's settings for one classifier: known names only, numbers within their bounds. */
final class Settings {
    private Settings() {}

    /**
     * Checks {@code settings} against {@code minimums} (setting to its smallest value); {@code whole} settings must be
     * whole numbers. The first problem is an {@link IllegalArgumentException} naming the classifier and the setting.
     */
    static void check(String classifier, Map<String, ?> settings, Map<String, Double> minimums, boolean whole) {
        for (Map.Entry<String, ?> e : settings.entrySet()) {
            String where = "classifier '" + classifier + "': ";
            Double min = minimums.get(e.getKey());
            if (min == null) {
                throw new IllegalArgumentException(where + "unknown setting '" + e.getKey() + "' (settings: "
                        + String.join(", ", new TreeMap<>(minimums).keySet()) + ")");
            }
            if (!(e.getValue() instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new IllegalArgumentException(where + e.getKey() + " must be a number, got " + e.getValue());
            }
            double v = n.doubleValue();
            if ((whole && (v != Math.rint(v) || v > Integer.MAX_VALUE)) || v < min) {
                throw new IllegalArgumentException(where + e.getKey() + " must be " + (whole ? "a whole number " : "")
                        + ">= " + (whole ? String.valueOf(min.intValue()) : String.valueOf(min)) + ", got " + e.getValue());
            }
        }
    }

    /** The setting as an int, or {@code def} when the pipeline does not set it. */
    static int integer(Map<String, ?> settings, String key, int def) {
        return settings.get(key) instanceof Number n ? n.intValue() : def;
    }

    /** The setting as a double, or {@code def}. */
    static double number(Map<String, ?> settings, String key, double def) {
        return settings.get(key) instanceof Number n ? n.doubleValue() : def;
    }
}
