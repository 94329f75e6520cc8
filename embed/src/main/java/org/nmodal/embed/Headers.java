package org.nmodal.embed;

import java.util.ArrayList;
import java.util.List;

/** Just enough of the OSGi manifest header syntax: clauses split on commas outside quotes, and their attributes. */
final class Headers {
    private Headers() {}

    static List<String> clauses(String header) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                out.add(b.toString().trim());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        if (!b.toString().isBlank()) {
            out.add(b.toString().trim());
        }
        return out;
    }

    /** The clause's name (its first path). */
    static String name(String clause) {
        int semi = clause.indexOf(';');
        return (semi < 0 ? clause : clause.substring(0, semi)).trim();
    }

    /** An attribute or directive ({@code name=} or {@code name:=}) of a clause, unquoted; null when absent. */
    static String attribute(String clause, String name) {
        StringBuilder b = new StringBuilder();
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        for (char c : clause.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                continue;
            }
            if (c == ';' && !quoted) {
                parts.add(b.toString().trim());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        parts.add(b.toString().trim());
        for (String p : parts.subList(1, parts.size())) {
            int eq = p.indexOf('=');
            if (eq > 0) {
                String key = p.substring(0, eq).replace(":", "").trim();
                if (key.equals(name)) {
                    return p.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }
}
