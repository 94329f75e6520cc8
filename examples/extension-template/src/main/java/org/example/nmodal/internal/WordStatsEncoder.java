package org.example.nmodal.internal;

import java.util.ArrayList;
import java.util.List;
import org.nmodal.api.NModal;
import org.nmodal.api.component.NModalEncoder;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.osgi.service.component.annotations.Component;

/**
 * A text encoder ({@code word-stats}): 12 surface statistics of a post's text (length, word lengths, hashtags,
 * mentions, digits, capitals, punctuation, exclamations, questions, URLs, repeated words, vocabulary richness).
 * The service properties are what nmodal filters and lists on.
 */
@Component(property = NModal.DEVICE + "=cpu")
@NModalEncoder(name = WordStatsEncoder.NAME, modality = "text", dimension = WordStatsEncoder.DIMENSION,
        licence = "Apache-2.0", description = "Surface statistics of a text (example extension)")
public final class WordStatsEncoder implements ModalityEncoder {
    static final String NAME = "word-stats";
    static final int DIMENSION = 12;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String modality() {
        return "text";
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public String version() {
        return "word-stats/1"; // change it whenever the same text would give another vector: caches key on it
    }

    @Override
    public List<Encoding> encode(List<? extends ModalityInput> inputs) {
        List<Encoding> out = new ArrayList<>(inputs.size());
        for (ModalityInput in : inputs) {
            // one bad item fails alone, with a line that says what and where
            out.add(in instanceof TextInput t ? Encoding.of(features(t.text()))
                    : Encoding.failed("word-stats encodes text, not " + (in == null ? "null" : in.getClass().getSimpleName())));
        }
        return out;
    }

    static float[] features(String text) {
        String[] words = text.trim().isEmpty() ? new String[0] : text.trim().split("\\s+");
        int n = Math.max(1, words.length);
        double letters = 0;
        int hashtags = 0;
        int mentions = 0;
        int urls = 0;
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (String w : words) {
            letters += w.length();
            hashtags += w.startsWith("#") ? 1 : 0;
            mentions += w.startsWith("@") ? 1 : 0;
            urls += w.startsWith("http") ? 1 : 0;
            distinct.add(w.toLowerCase(java.util.Locale.ROOT));
        }
        int digits = 0;
        int capitals = 0;
        int punctuation = 0;
        int exclamations = 0;
        int questions = 0;
        for (char c : text.toCharArray()) {
            digits += Character.isDigit(c) ? 1 : 0;
            capitals += Character.isUpperCase(c) ? 1 : 0;
            punctuation += ".,;:".indexOf(c) >= 0 ? 1 : 0;
            exclamations += c == '!' ? 1 : 0;
            questions += c == '?' ? 1 : 0;
        }
        double chars = Math.max(1, text.length());
        return new float[] {(float) Math.log1p(text.length()), (float) (letters / n), hashtags, mentions,
            (float) (digits / chars), (float) (capitals / chars), (float) (punctuation / chars), exclamations,
            questions, urls, (float) (words.length - distinct.size()) / n, (float) distinct.size() / n};
    }
}
