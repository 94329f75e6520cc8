package org.nmodal.api.fusion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Collections;

/**
 * What a {@link SupervisedFusion} is built for: its modalities in batch order, each one's input width, the number
 * of classes of the task and the seed its initial weights come from.
 *
 * @param modalities modality keys in batch order
 * @param dimensions input width of every modality
 * @param classes number of classes, at least 2
 * @param seed seed of the initial weights and of dropout
 */
public record FusionTask(List<String> modalities, Map<String, Integer> dimensions, int classes, long seed) {
    /** Checks that every modality has a width and copies the collections. */
    public FusionTask {
        modalities = List.copyOf(modalities);
        dimensions = Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
        for (String m : modalities) {
            Integer d = dimensions.get(m);
            if (d == null || d < 1) {
                throw new IllegalArgumentException("no width for modality '" + m + "'");
            }
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a task needs at least 2 classes, got " + classes);
        }
    }
}
