package org.nmodal.recommend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tags a recommender knows: normal forms seen in at least {@code minCount} training posts (a post counts once
 * per tag), most frequent first, each shown as it was most often written (lower case).
 */
public final class TagVocabulary {
    private final TagNormalizer normalizer;
    private final List<String> forms;
    private final List<String> shown;
    private final int[] counts;
    private final Map<String, Integer> index = new HashMap<>();

    private TagVocabulary(TagNormalizer normalizer, List<String> forms, List<String> shown, int[] counts) {
        this.normalizer = normalizer;
        this.forms = List.copyOf(forms);
        this.shown = List.copyOf(shown);
        this.counts = counts;
        for (int i = 0; i < forms.size(); i++) {
            index.put(forms.get(i), i);
        }
    }

    /**
     * Counts the tags of the training rows.
     *
     * @param tags every post's tags as written (null or empty for none)
     * @param rows the training rows
     */
    public static TagVocabulary build(List<List<String>> tags, int[] rows, TagNormalizer normalizer, int minCount) {
        Map<String, Integer> count = new HashMap<>();
        Map<String, Map<String, Integer>> written = new HashMap<>();
        for (int r : rows) {
            List<String> list = tags.get(r);
            if (list == null) {
                continue;
            }
            Set<String> seen = new LinkedHashSet<>();
            for (String t : list) {
                String f = normalizer.normalize(t);
                if (!f.isEmpty() && seen.add(f)) {
                    count.merge(f, 1, Integer::sum);
                    written.computeIfAbsent(f, x -> new HashMap<>()).merge(clean(t), 1, Integer::sum);
                }
            }
        }
        List<String> kept = new ArrayList<>();
        count.forEach((f, c) -> {
            if (c >= Math.max(1, minCount)) {
                kept.add(f);
            }
        });
        // most frequent first; ties by name, so the order (and every seeded step after it) is repeatable
        kept.sort((a, b) -> count.get(a).equals(count.get(b)) ? a.compareTo(b) : count.get(b) - count.get(a));
        List<String> shown = new ArrayList<>();
        int[] counts = new int[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            counts[i] = count.get(kept.get(i));
            shown.add(Collections.max(written.get(kept.get(i)).entrySet(), (a, b) -> a.getValue().equals(b.getValue())
                    ? b.getKey().compareTo(a.getKey()) : a.getValue() - b.getValue()).getKey());
        }
        return new TagVocabulary(normalizer, kept, shown, counts);
    }

    private static String clean(String t) {
        String s = t.strip();
        while (s.startsWith("#")) {
            s = s.substring(1);
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /** How many tags. */
    public int size() {
        return forms.size();
    }

    /** Training posts carrying tag {@code i}. */
    public int count(int i) {
        return counts[i];
    }

    /** Every tag's count, by index. */
    public int[] counts() {
        return counts.clone();
    }

    /** Tag {@code i} as written. */
    public String shown(int i) {
        return shown.get(i);
    }

    /** The index of a tag as written (normalised first), if known. */
    public Optional<Integer> indexOf(String tag) {
        return Optional.ofNullable(index.get(normalizer.normalize(tag)));
    }

    /** The distinct known tags of a list, in order of first use. */
    public int[] encode(List<String> tags) {
        if (tags == null) {
            return new int[0];
        }
        LinkedHashSet<Integer> out = new LinkedHashSet<>();
        for (String t : tags) {
            Integer i = index.get(normalizer.normalize(t));
            if (i != null) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Every row's known tags. */
    public List<int[]> encodeAll(List<List<String>> tags) {
        List<int[]> out = new ArrayList<>(tags.size());
        tags.forEach(t -> out.add(encode(t)));
        return out;
    }

    /** Tag index to shown form, for reports. */
    public Map<Integer, String> shownByIndex() {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int i = 0; i < shown.size(); i++) {
            m.put(i, shown.get(i));
        }
        return m;
    }
}
