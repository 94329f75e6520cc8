package org.nmodal.api;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, checked access to a part's parameters from a pipeline file (for example a loss's {@code temperature}).
 * Every key a part reads is remembered, so {@link #checkAllUsed()} can reject a misspelt key with one line that
 * names it and the keys the part knows.
 */
public final class Settings {
    private final String owner;
    private final Map<String, ?> values;
    private final Set<String> read = new HashSet<>();

    /**
     * @param owner who the settings are for, used in error lines ({@code "loss nmodal-infonce"})
     * @param values the raw values; may be null
     */
    public Settings(String owner, Map<String, ?> values) {
        this.owner = owner;
        this.values = values == null ? Map.of() : new LinkedHashMap<>(values);
    }

    /** A number, or the default when absent. */
    public double number(String key, double def) {
        Object v = get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(owner + ": '" + key + "' must be a number, got '" + v + "'");
        }
    }

    /** A whole number, or the default when absent. */
    public int integer(String key, int def) {
        double d = number(key, def);
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException(owner + ": '" + key + "' must be a whole number, got " + d);
        }
        return (int) d;
    }

    /** A boolean, or the default when absent. */
    public boolean flag(String key, boolean def) {
        Object v = get(key);
        if (v == null) {
            return def;
        }
        String s = v.toString().trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(owner + ": '" + key + "' must be true or false, got '" + v + "'");
    }

    /** A string, or the default when absent. */
    public String text(String key, String def) {
        Object v = get(key);
        return v == null ? def : v.toString();
    }

    /** One of the allowed strings, or the default when absent. */
    public String choice(String key, String def, Set<String> allowed) {
        String v = text(key, def);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(owner + ": '" + key + "' must be one of " + new TreeSet<>(allowed)
                    + ", got '" + v + "'");
        }
        return v;
    }

    /**
     * Fails on a key nothing has read.
     *
     * @throws IllegalArgumentException naming the unknown key and the keys read so far
     */
    public void checkAllUsed() {
        for (String key : values.keySet()) {
            if (!read.contains(key)) {
                throw new IllegalArgumentException(owner + ": unknown setting '" + key + "' (known: "
                        + String.join(", ", new TreeSet<>(read)) + ")");
            }
        }
    }

    private Object get(String key) {
        read.add(key);
        return values.get(key);
    }
}
