package org.nmodal.encoder.text.transformer;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration every transformer text encoder reads from its own PID ({@code nmodal.encoder.text.minilm},
 * {@code nmodal.encoder.text.bge}): one definition, so the keys cannot drift apart.
 */
@ObjectClassDefinition(name = "Transformer text encoder", description = "A sentence-embedding model on ONNX Runtime")
public @interface TransformerConfig {
    /** cpu, gpu or gpu:N. */
    @AttributeDefinition(description = "Device: cpu, gpu or gpu:N (falls back to cpu when none is usable)")
    String device() default "cpu";

    /** Texts per forward pass. */
    @AttributeDefinition(description = "Texts per forward pass")
    int batchSize() default 32;

    /** Token limit. */
    @AttributeDefinition(description = "Longer texts are truncated to this many tokens")
    int maxTokens() default 256;

    /** Parallel calls. */
    @AttributeDefinition(description = "Calls that may run at once")
    int predictors() default 2;

    /** ONNX Runtime threads per call. */
    @AttributeDefinition(description = "ONNX Runtime intra-op threads per call, 0 for its default")
    int intraOpThreads() default 0;

    /** How long deactivation waits for calls in flight. */
    @AttributeDefinition(description = "Milliseconds a hot swap waits for calls in flight")
    long drainTimeoutMs() default 30_000;
}
