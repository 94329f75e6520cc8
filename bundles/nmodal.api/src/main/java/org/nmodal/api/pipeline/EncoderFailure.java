package org.nmodal.api.pipeline;

/**
 * The last misbehaviour of an encoder when it was called (it threw, returned the wrong dimension or count, or blocked
 * past the time limit).
 *
 * @param encoder the encoder's name
 * @param reason one line
 * @param at when, epoch milliseconds
 * @param count how many calls failed so far
 */
public record EncoderFailure(String encoder, String reason, long at, int count) {}
