package org.nmodal.api.data;

import java.util.Objects;

/** Text of a post, caption or any other string to embed. */
public record TextInput(String text) implements ModalityInput {
    /** @throws NullPointerException if {@code text} is null */
    public TextInput {
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String describe() {
        return text.length() <= 40 ? '"' + text + '"' : '"' + text.substring(0, 37) + "...\"";
    }
}
