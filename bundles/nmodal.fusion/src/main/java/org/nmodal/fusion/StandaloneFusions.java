package org.nmodal.fusion;

import java.util.List;
import org.nmodal.api.fusion.FusionStrategy;
import org.nmodal.fusion.internal.CrossAttentionFusion;
import org.nmodal.fusion.internal.Fusions;

/**
 * The fusion strategies for code that runs without an OSGi framework (tests, tools, embedding): the same objects the
 * DS components are. Inside OSGi, look the {@code FusionStrategy} services up by name instead.
 */
public final class StandaloneFusions {
    private StandaloneFusions() {}

    /** The names known here. */
    public static final List<String> NAMES = List.of("concat", "mean", "gated", "cross-attention");

    /** A strategy by its pipeline name; an {@link IllegalArgumentException} names the known ones. */
    public static FusionStrategy byName(String name) {
        return switch (name) {
            case "concat" -> new Fusions.Concat();
            case "mean" -> new Fusions.Mean();
            case "gated" -> new Fusions.Gated();
            case "cross-attention" -> new CrossAttentionFusion();
            default -> throw new IllegalArgumentException("unknown fusion '" + name + "' (known: " + NAMES + ")");
        };
    }
}
