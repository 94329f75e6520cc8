package org.nmodal.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nmodal.api.data.Split;

/**
 * Frozen features of a data set: for each post its id, split and labels, and for each modality one vector per
 * post, or {@code null} where the post lacks the modality (or its input could not be read: see {@link #errors()}).
 */
public final class FeatureSet {
    private final List<String> ids;
    private final Split[] splits;
    private final Map<String, String[]> labels;
    private final Map<String, float[][]> features = new LinkedHashMap<>();
    private final Map<String, Integer> dimensions = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private List<String> labelKeys = List.of();
    private final Map<String, String[]> texts = new LinkedHashMap<>();
    private String[] groups;
    private String[] folds;

    /**
     * @param ids post ids
     * @param splits split per post
     * @param labels label values per task, one per post ({@code null} where unlabelled)
     */
    public FeatureSet(List<String> ids, Split[] splits, Map<String, String[]> labels) {
        if (splits.length != ids.size()) {
            throw new IllegalArgumentException(ids.size() + " ids but " + splits.length + " splits");
        }
        this.ids = List.copyOf(ids);
        this.splits = splits.clone();
        this.labels = new LinkedHashMap<>(labels);
    }

    /** Adds a modality's vectors (rows may be null for missing posts). */
    public void put(String modality, int dimension, float[][] vectors) {
        if (vectors.length != ids.size()) {
            throw new IllegalArgumentException(modality + ": " + vectors.length + " rows for " + ids.size() + " posts");
        }
        for (float[] v : vectors) {
            if (v != null && v.length != dimension) {
                throw new IllegalArgumentException(modality + ": a vector of " + v.length + " values, expected " + dimension);
            }
        }
        // one NaN would poison the standardisation, every loss and every classifier: such a row counts as missing
        float[][] kept = vectors.clone();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] != null && !finite(kept[i])) {
                kept[i] = null;
                bad.add(ids.get(i));
            }
        }
        if (!bad.isEmpty()) {
            warn(String.format(java.util.Locale.ROOT, "%s: %d of %d post(s) have NaN or infinite values (e.g. %s); "
                    + "their %s is treated as missing", modality, bad.size(), kept.length,
                    String.join(", ", bad.subList(0, Math.min(3, bad.size()))), modality));
        }
        features.put(modality, kept);
        dimensions.put(modality, dimension);
    }

    /**
     * Sets a modality's raw text per post (a feature table's text column, still to be encoded; null where a post has
     * none). The modality gets its vectors later, from {@link #put}.
     */
    public void texts(String modality, String[] textOfPost) {
        if (textOfPost.length != ids.size()) {
            throw new IllegalArgumentException(modality + ": " + textOfPost.length + " texts for " + ids.size()
                    + " posts");
        }
        texts.put(modality, textOfPost.clone());
    }

    /** A modality's raw text per post, or null when the data set has no text for it. */
    public String[] texts(String modality) {
        String[] t = texts.get(modality);
        return t == null ? null : t.clone();
    }

    /**
     * Sets the group of every post (a video, thread or conversation), for context features; null clears it.
     */
    public void groups(String[] groupOfPost) {
        if (groupOfPost != null && groupOfPost.length != ids.size()) {
            throw new IllegalArgumentException(groupOfPost.length + " groups for " + ids.size() + " posts");
        }
        this.groups = groupOfPost == null ? null : groupOfPost.clone();
    }

    /** The group of every post, or null when the data set has none. */
    public String[] groups() {
        return groups == null ? null : groups.clone();
    }

    /** Sets every post's cross-validation fold (null or blank: the post takes no part); null clears it. */
    public void folds(String[] foldOfPost) {
        if (foldOfPost != null && foldOfPost.length != ids.size()) {
            throw new IllegalArgumentException(foldOfPost.length + " folds for " + ids.size() + " posts");
        }
        this.folds = foldOfPost == null ? null : foldOfPost.clone();
    }

    /** Every post's cross-validation fold, or null when none was read. */
    public String[] folds() {
        return folds == null ? null : folds.clone();
    }

    /** Records a one-line problem (post, file, reason); the post goes on without that modality. */
    public void error(String line) {
        errors.add(line);
    }

    /**
     * Records a warning: the run goes on, but a result may mean less than it seems (a task with one class, features
     * that were NaN). Warnings head the summary and the report.
     */
    public void warn(String line) {
        warnings.add(line);
    }

    /** Sets the label names the data carries (a post data set's label keys), for messages naming a missing task. */
    public void labelKeys(java.util.Collection<String> keys) {
        labelKeys = List.copyOf(new java.util.TreeSet<>(keys));
    }

    /** The label names the data carries, sorted; empty when unknown. */
    public List<String> labelKeys() {
        return labelKeys;
    }

    /** The warnings recorded, in order. */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    private static boolean finite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    public List<String> ids() {
        return ids;
    }

    public int size() {
        return ids.size();
    }

    public Split split(int i) {
        return splits[i];
    }

    /** Modalities in insertion order. */
    public List<String> modalities() {
        return List.copyOf(features.keySet());
    }

    public float[][] features(String modality) {
        float[][] f = features.get(modality);
        if (f == null) {
            throw new IllegalArgumentException("no modality '" + modality + "'; the data set has " + modalities());
        }
        return f;
    }

    public int dimension(String modality) {
        features(modality);
        return dimensions.get(modality);
    }

    /** Label values of a task, one per post. */
    public String[] labels(String task) {
        String[] l = labels.get(task);
        if (l == null) {
            throw new IllegalArgumentException("no labels for task '" + task + "'; the data set has " + labels.keySet());
        }
        return l;
    }

    public List<String> tasks() {
        return List.copyOf(labels.keySet());
    }

    public List<String> errors() {
        return Collections.unmodifiableList(errors);
    }

    /** Indices of the posts in a split. */
    public int[] indices(Split split) {
        return java.util.stream.IntStream.range(0, ids.size()).filter(i -> splits[i] == split).toArray();
    }
}
