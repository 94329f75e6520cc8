package org.nmodal.api.data;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A social-media post: its inputs by modality key, metadata, labels by task name and split.
 * A modality that is absent from {@code inputs} is missing for this post, which is normal.
 *
 * @param id unique id within its data set
 * @param inputs raw inputs keyed by modality ({@code text}, {@code image}, {@code video}, {@code audio}, ...)
 * @param metadata hashtags, captions, tags, time and account
 * @param labels label value per task ({@code stance -> "pro"})
 * @param split train, dev, test or unlabelled
 */
public record Post(String id, Map<String, ModalityInput> inputs, PostMetadata metadata, Map<String, String> labels,
        Split split) {
    /** Validates the id and copies the maps. */
    public Post {
        Objects.requireNonNull(id, "id");
        inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
        metadata = metadata == null ? PostMetadata.EMPTY : metadata;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        split = split == null ? Split.UNLABELLED : split;
    }

    /** The input for a modality, if the post has it. */
    public Optional<ModalityInput> input(String modality) {
        return Optional.ofNullable(inputs.get(modality));
    }

    /** The label for a task, if the post has one. */
    public Optional<String> label(String task) {
        return Optional.ofNullable(labels.get(task));
    }
}
