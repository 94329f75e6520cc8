package org.nmodal.api.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A pipeline file, parsed and checked for structure (names are checked against the running parts by
 * {@link PipelineService#validate}). An interface rather than a record so that new settings are a minor change.
 */
@ProviderType
public interface PipelineSpec {
    /** The file it was read from (absolute). */
    Path file();

    /** The pipeline's id: a name of letters, digits, '.', '_' and '-'. */
    String id();

    /** {@code features} (a feature table) or {@code posts} (posts.jsonl with media). */
    String dataFormat();

    /** The data folder, resolved against the file's folder (or the override given when reading). */
    Path dataPath();

    /** Whether posts may name media outside {@link #dataPath()} ({@code data.allowPathsOutside}; default no). */
    boolean allowPathsOutside();

    /** For feature tables: the meta.csv column holding the split. */
    String splitColumn();

    /** For feature tables: the meta.csv column grouping posts for context features, or null. */
    String contextColumn();

    /**
     * The per-post fold field for cross-validation ({@code data.folds}): {@code meta.<field>} of posts.jsonl, or a
     * meta.csv column of a feature table; null for one run on the data's own train/dev/test split.
     *
     * @since 1.1
     */
    default String folds() {
        return null;
    }

    /**
     * The hashtag recommendation task ({@code recommend}), or null when the pipeline has none.
     *
     * @since 1.2
     */
    default org.nmodal.api.recommend.RecommendSpec recommend() {
        return null;
    }

    /**
     * Which modality subsets the ablation evaluates ({@code evaluate.subsets}).
     *
     * @since 1.3
     */
    default SubsetRule subsets() {
        return SubsetRule.DEFAULT;
    }

    /** The modalities, in order. */
    List<String> modalities();

    /** Encoder name per modality (posts only). */
    Map<String, String> encoders();

    /** Optional modalities bound while serving: modality to encoder name, or to "" for any encoder. */
    Map<String, String> optionalModalities();

    /** Width of the shared latent space. */
    int projectionDim();

    /** Dropout in the projection heads. */
    double dropout();

    /** The loss's name. */
    String loss();

    /** The loss's settings (every field of {@code loss} but {@code name}). */
    Map<String, Object> lossSettings();

    /** The fusion's name. */
    String fusion();

    /** The fusion's settings (every field of {@code fusion} but {@code name}; empty for a bare name). */
    Map<String, Object> fusionSettings();

    /** Classifier names, evaluated in this order. */
    List<String> classifiers();

    /**
     * Settings per classifier name ({@code "classifiers": [{"name": "random-forest", "trees": 300}]}).
     *
     * @since 1.2
     */
    default Map<String, Map<String, Object>> classifierSettings() {
        return Map.of();
    }

    /** The classifier a served model answers with. */
    String servingClassifier();

    /** Label names to predict. */
    List<String> tasks();

    /** Training settings of the projection heads. */
    Training training();

    /** How long one encoder call may take before its inputs are reported as failed. */
    long encodeTimeoutMs();

    /**
     * Training settings.
     *
     * @param epochs maximum epochs
     * @param batch batch size
     * @param lr learning rate
     * @param weightDecay AdamW weight decay
     * @param patience epochs without a better dev loss before stopping
     * @param seed seed of everything random
     */
    record Training(int epochs, int batch, double lr, double weightDecay, int patience, long seed) {}
}
