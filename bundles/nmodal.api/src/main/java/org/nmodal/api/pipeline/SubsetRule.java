package org.nmodal.api.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.nmodal.api.InvalidInputException;

/**
 * Which modality subsets an ablation evaluates: a pipeline's {@code evaluate.subsets}. Every non-empty subset is
 * 2^N − 1 fits per feature kind, classifier and task, which does not scale with the number of streams, so a pipeline
 * names families of subsets ({@link #KEYWORDS}) or the subsets themselves. The rule is kept as written and resolved
 * against the modalities a run really has ({@link #choose}), since a modality no post could be encoded for is left
 * out of a run.
 *
 * @param keywords the families named, in the order given
 * @param explicit the subsets named one by one (modality names), in the order given
 * @since 1.3
 */
public record SubsetRule(List<String> keywords, List<List<String>> explicit) {
    /**
     * The families: {@code all} (all streams together), {@code singles} (each stream alone), {@code leave-one-out}
     * (all streams but one), {@code pairs} (every two streams), {@code every} (every non-empty subset) and
     * {@code default} (every subset up to {@link #EVERY_UP_TO} streams, else singles + leave-one-out + all).
     */
    public static final List<String> KEYWORDS = List.of("all", "singles", "leave-one-out", "pairs", "every", "default");
    /** Up to this many streams the default evaluates every subset. */
    public static final int EVERY_UP_TO = 4;
    /** {@code every} is refused beyond this many streams (2^12 − 1 = 4,095 subsets). */
    public static final int EVERY_AT_MOST = 12;
    /** Nothing set: {@code default}. */
    public static final SubsetRule DEFAULT = new SubsetRule(List.of("default"), List.of());

    /**
     * The subsets a rule chose for a run's modalities, smallest first, and the rule in words for the report.
     *
     * @param rule e.g. {@code "default (6 streams, more than 4): singles + leave-one-out + all; 13 subset(s) of 6
     *     modalities"}
     * @param subsets each subset's modalities, in the run's order of modalities
     */
    public record Chosen(String rule, List<List<String>> subsets) {
        /** Copies the lists. */
        public Chosen {
            subsets = subsets.stream().map(List::copyOf).toList();
        }
    }

    /** Copies the lists. */
    public SubsetRule {
        keywords = List.copyOf(keywords);
        explicit = explicit.stream().map(List::copyOf).toList();
    }

    /**
     * Checks a setting: a keyword (a {@code String}), or a list whose items are keywords or subsets (lists of
     * modality names); null gives {@link #DEFAULT}.
     *
     * @param field how messages name the setting, e.g. {@code "p.json: evaluate.subsets"}
     * @param modalities the pipeline's modalities (explicit subsets may name only these)
     * @throws InvalidInputException one line naming the field (and item) and what is wrong
     */
    public static SubsetRule of(Object setting, String field, List<String> modalities) {
        if (setting == null) {
            return DEFAULT;
        }
        List<String> keywords = new ArrayList<>();
        List<List<String>> explicit = new ArrayList<>();
        if (setting instanceof String s) {
            keywords.add(keyword(s, field, modalities));
        } else if (setting instanceof List<?> items && !items.isEmpty()) {
            for (int i = 0; i < items.size(); i++) {
                String at = field + "[" + i + "]";
                if (items.get(i) instanceof String s) {
                    keywords.add(keyword(s, at, modalities));
                } else if (items.get(i) instanceof List<?> names) {
                    explicit.add(subset(names, at, modalities));
                } else {
                    throw new InvalidInputException(at + ": must be a keyword (" + String.join(", ", KEYWORDS)
                            + ") or a list of modality names");
                }
            }
        } else {
            throw new InvalidInputException(field + ": must be a keyword (" + String.join(", ", KEYWORDS) + ") or a "
                    + "non-empty list of keywords and subsets (lists of modality names)");
        }
        if (keywords.contains("every") && modalities.size() > EVERY_AT_MOST) {
            throw new InvalidInputException(field + ": 'every' with " + modalities.size() + " modalities is "
                    + String.format(Locale.ROOT, "%,d", (1L << modalities.size()) - 1) + " subsets (at most "
                    + EVERY_AT_MOST + " modalities; name families such as singles, pairs, leave-one-out, all)");
        }
        return new SubsetRule(keywords, explicit);
    }

    private static String keyword(String s, String at, List<String> modalities) {
        if (KEYWORDS.contains(s)) {
            return s;
        }
        String hint = modalities.contains(s) ? " (a subset of one modality is written [\"" + s + "\"])" : "";
        throw new InvalidInputException(at + ": unknown keyword '" + clip(s) + "' (keywords: "
                + String.join(", ", KEYWORDS) + "; a subset is a list of modality names)" + hint);
    }

    private static List<String> subset(List<?> names, String at, List<String> modalities) {
        if (names.isEmpty()) {
            throw new InvalidInputException(at + ": an empty subset (name at least one modality)");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Object n : names) {
            if (!(n instanceof String m)) {
                throw new InvalidInputException(at + ": a subset lists modality names (strings)");
            }
            if (!modalities.contains(m)) {
                throw new InvalidInputException(at + ": unknown modality '" + clip(m) + "' (modalities: "
                        + String.join(", ", modalities) + ")");
            }
            if (!seen.add(m)) {
                throw new InvalidInputException(at + ": modality '" + m + "' is named twice");
            }
        }
        return List.copyOf(seen);
    }

    /** One line of at most 100 characters, whatever the file wrote. */
    private static String clip(String s) {
        String one = s.replaceAll("\\p{Cntrl}", "?");
        return one.length() <= 100 ? one : one.substring(0, 100) + "...";
    }

    /**
     * The subsets for a run's modalities: every family's and every explicit subset once, each in the modalities'
     * order, smallest first (within a size, by the bit mask with modality i as bit i, as an ablation of every subset
     * has always listed them). An explicit subset naming a modality the run left out is dropped; if nothing is left,
     * each modality alone is evaluated.
     */
    public Chosen choose(List<String> modalities) {
        int n = modalities.size();
        List<String> words = new ArrayList<>();
        Set<List<Integer>> picked = new LinkedHashSet<>();
        for (String k : keywords) {
            if (k.equals("default")) {
                List<String> families = n <= EVERY_UP_TO ? List.of("every") : List.of("singles", "leave-one-out", "all");
                families.forEach(f -> add(f, n, picked));
                words.add("default (" + n + (n <= EVERY_UP_TO ? " streams, at most " : " streams, more than ")
                        + EVERY_UP_TO + "): " + String.join(" + ", families));
            } else {
                add(k, n, picked);
                words.add(k);
            }
        }
        int dropped = 0;
        for (List<String> s : explicit) {
            if (modalities.containsAll(s)) {
                picked.add(s.stream().map(modalities::indexOf).sorted().toList());
            } else {
                dropped++;
            }
        }
        if (!explicit.isEmpty()) {
            words.add(explicit.size() + " named subset(s)" + (dropped == 0 ? ""
                    : ", " + dropped + " dropped for naming a modality this run left out"));
        }
        if (picked.isEmpty()) {
            add("singles", n, picked);
            words.add("singles (nothing else was left)");
        }
        List<List<Integer>> sorted = new ArrayList<>(picked);
        sorted.sort(SubsetRule::compare);
        List<List<String>> out = sorted.stream().map(s -> s.stream().map(modalities::get).toList()).toList();
        return new Chosen(String.join(" + ", words) + "; " + out.size() + " subset(s) of " + n + " modalities", out);
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        if (a.size() != b.size()) {
            return a.size() - b.size();
        }
        for (int k = a.size() - 1; k >= 0; k--) {
            if (!a.get(k).equals(b.get(k))) {
                return a.get(k) - b.get(k);
            }
        }
        return 0;
    }

    private static void add(String family, int n, Set<List<Integer>> into) {
        switch (family) {
            case "all" -> into.add(without(n, -1));
            case "singles" -> {
                for (int i = 0; i < n; i++) {
                    into.add(List.of(i));
                }
            }
            case "leave-one-out" -> {
                for (int i = 0; i < n && n > 1; i++) {
                    into.add(without(n, i));
                }
            }
            case "pairs" -> {
                for (int i = 0; i < n; i++) {
                    for (int j = i + 1; j < n; j++) {
                        into.add(List.of(i, j));
                    }
                }
            }
            case "every" -> {
                for (long mask = 1; mask < (1L << n); mask++) {
                    List<Integer> s = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        if ((mask & (1L << i)) != 0) {
                            s.add(i);
                        }
                    }
                    into.add(List.copyOf(s));
                }
            }
            default -> throw new IllegalArgumentException("unknown family " + family);
        }
    }

    /** 0..n-1 without {@code skip}. */
    private static List<Integer> without(int n, int skip) {
        List<Integer> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i != skip) {
                s.add(i);
            }
        }
        return List.copyOf(s);
    }
}
