package org.nmodal.djl;

import ai.djl.ndarray.NDArray;

/**
 * Arithmetic with a plain number that is safe under autograd.
 *
 * <p>DJL's PyTorch {@code mul(Number)} and {@code div(Number)} wrap the number in a temporary tensor whose memory is
 * a Java buffer, and close it as soon as the operation returns. Autograd keeps that tensor for the backward pass
 * (the gradient of {@code x * c} needs {@code c}), which may then read memory the garbage collector has freed:
 * gradients turn to noise or NaN now and then, depending on GC timing. These helpers attach the number to the
 * operand's manager instead, so it lives as long as the rest of that step's arrays.
 */
public final class Tensors {
    private Tensors() {}

    /** {@code x * c}, safe to differentiate. */
    public static NDArray mul(NDArray x, float c) {
        return x.mul(x.getManager().create(c));
    }

    /** {@code x / c}, safe to differentiate. */
    public static NDArray div(NDArray x, float c) {
        return x.div(x.getManager().create(c));
    }
}
