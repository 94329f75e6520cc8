package org.nmodal.djl;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's gradient recording off for a block and restores what was there before:
 * {@code try (NoGrad g = NoGrad.enter()) { ... }}.
 *
 * <p>Grad mode is per thread in libtorch and on by default, so request threads and in-place updates (optimiser steps,
 * restoring weights) must switch it off or they record graphs nobody will run backward on.
 */
public final class NoGrad implements AutoCloseable {
    private final boolean previous;

    private NoGrad(boolean previous) {
        this.previous = previous;
    }

    /** Switches recording off on this thread until {@link #close()}. */
    public static NoGrad enter() {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        return new NoGrad(previous);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
