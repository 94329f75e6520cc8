package org.nmodal.metadata.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.TextInput;

/** What the text adapters share: cleaning a metadata string, and a text or nothing. */
final class Texts {
    private Texts() {}

    /** Whitespace (newlines, tabs) collapsed to single spaces and trimmed; null for null. */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                space = b.length() > 0;
            } else {
                if (space) {
                    b.append(' ');
                    space = false;
                }
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The cleaned, non-empty entries of a list, each once, in order. */
    static List<String> entries(List<String> raw, String strip) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String r : raw) {
            String c = clean(r);
            if (c == null) {
                continue;
            }
            int from = 0;
            while (from < c.length() && strip.indexOf(c.charAt(from)) >= 0) {
                from++;
            }
            c = c.substring(from).strip();
            if (!c.isEmpty()) {
                out.add(c);
            }
        }
        return new ArrayList<>(out);
    }

    /** The text as an input, or empty when nothing is left of it. */
    static Optional<ModalityInput> text(String s) {
        String c = clean(s);
        return c == null || c.isEmpty() ? Optional.empty() : Optional.of(new TextInput(c));
    }
}
