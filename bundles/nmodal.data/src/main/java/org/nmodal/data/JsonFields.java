package org.nmodal.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.nmodal.api.InvalidInputException;

/**
 * Typed reading of fields: each problem is one line {@code file: section.key: what is wrong, got <value>}, so
 * a user sees which field to fix, never a parser's exception.
 */
public record JsonFields(String where) {
    // each reader: o the object, section its dotted path ("" at the top), key the field
    private String path(String section, String key) {
        return section.isEmpty() ? oneLine(key) : section + "." + oneLine(key);
    }

    private InvalidInputException bad(String section, String key, String what, JsonElement got) {
        return new InvalidInputException(where + ": " + path(section, key) + ": " + what + ", got " + kind(got));
    }

    /** An object field; an absent optional one is empty. */
    public JsonObject object(JsonObject o, String section, String key, boolean required) {
        JsonElement e = o.get(key);
        if (e == null) {
            if (required) {
                throw missing(section, key);
            }
            return new JsonObject();
        }
        if (!e.isJsonObject()) {
            throw bad(section, key, "must be an object", e);
        }
        return e.getAsJsonObject();
    }

    private InvalidInputException missing(String section, String key) {
        return new InvalidInputException(where + (section.isEmpty() ? "" : ": " + section) + ": missing field '"
                + key + "'");
    }

    /** A string field; absent or null gives {@code def}, or a missing-field error when def is null. */
    public String text(JsonObject o, String section, String key, String def) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            if (def == null) {
                throw missing(section, key);
            }
            return def;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw bad(section, key, "must be a string", e);
        }
        return e.getAsString();
    }

    /** A boolean field that is present. */
    public boolean flag(JsonObject o, String section, String key) {
        JsonElement e = o.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw bad(section, key, "must be true or false", e);
        }
        return e.getAsBoolean();
    }

    /** A JSON number (not a string holding one) with no fraction, within [min, max]. */
    public long whole(JsonObject o, String section, String key, long def, long min, long max) {
        JsonElement e = o.get(key);
        if (e == null) {
            return def;
        }
        String range = max == Long.MAX_VALUE ? "" : min == Long.MIN_VALUE ? " up to " + max
                : " from " + min + " to " + max;
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw bad(section, key, "must be a whole number" + range, e);
        }
        java.math.BigDecimal v = e.getAsBigDecimal();
        java.math.BigInteger i;
        try {
            i = v.toBigIntegerExact();
        } catch (ArithmeticException ex) {
            throw bad(section, key, "must be a whole number" + range, e);
        }
        if (i.compareTo(java.math.BigInteger.valueOf(min)) < 0 || i.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
            throw bad(section, key, "must be a whole number" + range, e);
        }
        return i.longValueExact();
    }

    /** A finite JSON number in the range, each end open or closed. */
    public double real(JsonObject o, String section, String key, double def, double min, boolean minOpen, double max,
            boolean maxOpen) {
        JsonElement e = o.get(key);
        if (e == null) {
            return def;
        }
        String range = (minOpen ? "> " : ">= ") + fmt(min) + " and " + (maxOpen ? "< " : "<= ") + fmt(max);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw bad(section, key, "must be a number " + range, e);
        }
        double v = e.getAsDouble();
        if (!Double.isFinite(v) || (minOpen ? v <= min : v < min) || (maxOpen ? v >= max : v > max)) {
            throw bad(section, key, "must be a number " + range, e);
        }
        return v;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** A list of strings. */
    public List<String> strings(JsonObject o, String section, String key, List<String> def) {
        JsonElement e = o.get(key);
        if (e == null) {
            return def;
        }
        if (!e.isJsonArray()) {
            throw bad(section, key, "must be a list of names", e);
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (JsonElement x : e.getAsJsonArray()) {
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
                throw bad(section, key + "[" + i + "]", "must be a name (a string)", x);
            }
            out.add(x.getAsString());
            i++;
        }
        return out;
    }

    /**
     * A name, or a list whose items are names or lists of names (e.g. {@code evaluate.subsets}): a {@code String}, or
     * a {@code List} of {@code String}s and {@code List<String>}s; null when absent.
     */
    public Object namesOrLists(JsonObject o, String section, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            return e.getAsString();
        }
        if (!e.isJsonArray()) {
            throw bad(section, key, "must be a name or a list of names and lists of names", e);
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < e.getAsJsonArray().size(); i++) {
            JsonElement x = e.getAsJsonArray().get(i);
            if (x.isJsonArray()) {
                JsonObject holder = new JsonObject();
                holder.add(key + "[" + i + "]", x);
                out.add(strings(holder, section, key + "[" + i + "]", List.of()));
            } else if (x.isJsonPrimitive() && x.getAsJsonPrimitive().isString()) {
                out.add(x.getAsString());
            } else {
                throw bad(section, key + "[" + i + "]", "must be a name or a list of names", x);
            }
        }
        return out;
    }

    /** No field but those named (a typo such as "epoch" is an error, not a silent default). */
    public void only(JsonObject o, String section, Set<String> known) {
        for (String key : o.keySet()) {
            if (!known.contains(key)) {
                throw new InvalidInputException(where + ": " + section + ": unknown field '" + oneLine(key)
                        + "' (fields: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }

    /**
     * A part named by a bare string or by an object {@code {"name": ..., <settings>}}; the settings are copied into
     * {@code settings} (numbers as doubles, booleans as booleans, anything else as its text).
     */
    public String named(JsonObject o, String key, String def, java.util.Map<String, Object> settings) {
        JsonElement el = o.get(key);
        if (el == null) {
            return def;
        }
        if (el.isJsonPrimitive() && el.getAsJsonPrimitive().isString()) {
            return el.getAsString();
        }
        if (!el.isJsonObject()) {
            throw new InvalidInputException(where + ": " + key + ": must be a name or an object {\"name\": ..., "
                    + "<settings>}, got " + kind(el));
        }
        JsonObject l = el.getAsJsonObject();
        String name = text(l, key, "name", null);
        for (java.util.Map.Entry<String, JsonElement> e : l.entrySet()) {
            if (!e.getKey().equals("name")) {
                JsonElement v = e.getValue();
                if (!v.isJsonPrimitive()) {
                    throw new InvalidInputException(where + ": " + key + "." + oneLine(e.getKey()) + ": must be a "
                            + "number, a boolean or a string, got " + kind(v));
                }
                if (v.getAsJsonPrimitive().isNumber() && !Double.isFinite(v.getAsDouble())) {
                    throw new InvalidInputException(where + ": " + key + "." + oneLine(e.getKey()) + ": "
                            + kind(v) + " is out of range");
                }
                settings.put(e.getKey(), v.getAsJsonPrimitive().isNumber() ? (Object) v.getAsDouble()
                        : v.getAsJsonPrimitive().isBoolean() ? (Object) v.getAsBoolean() : v.getAsString());
            }
        }
        return name;
    }

    /** What a JSON value is, for an error line: {@code {}}, {@code []}, a short literal, or its kind. */
    public static String kind(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "null";
        }
        String text = e.toString();
        if (text.length() <= 40 || e.isJsonPrimitive()) {
            return clip(text);
        }
        return e.isJsonObject() ? "an object" : "a list";
    }

    private static String clip(String s) {
        String one = oneLine(s);
        return one.length() <= 40 ? one : one.substring(0, 37) + "...";
    }

    /** Control characters escaped, so that an error stays one line whatever the file holds. */
    public static String oneLine(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.length() < 200 || s.length() <= 200 ? b.toString() : b + "...";
    }
}
