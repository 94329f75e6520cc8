package org.nmodal.api.serving;

/**
 * One post's outcome in a batch ({@link StoredModel#predict}): its answer, or the one line saying why it has none.
 *
 * @param post the post's id
 * @param answer the answer, null when the post could not be scored
 * @param error why the post could not be scored (no usable input), null when it was
 */
public record PostAnswer(String post, Answer answer, String error) {
    /** Whether the post was scored. */
    public boolean ok() {
        return answer != null;
    }
}
