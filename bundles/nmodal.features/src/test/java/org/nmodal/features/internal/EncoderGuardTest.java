package org.nmodal.features.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;

/** A misbehaving encoder costs only its own inputs. */
class EncoderGuardTest {
    /** An encoder that misbehaves as told: wrong length, throwing, blocking or a wrong count. */
    private static ModalityEncoder misbehaving(String how) {
        return new ModalityEncoder() {
            @Override public String name() { return how; }
            @Override public String modality() { return "text"; }
            @Override public int dimension() { return 3; }
            @Override public String device() { return "cpu"; }
            @Override public String version() { return "1"; }
            @Override public List<Encoding> encode(List<? extends ModalityInput> inputs) {
                switch (how) {
                    case "short": return inputs.stream().map(i -> Encoding.of(new float[2])).toList();
                    case "throws": throw new IllegalStateException("boom");
                    case "blocks":
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return List.of();
                    case "fewer": return List.of(Encoding.of(new float[3]));
                    default: return inputs.stream().map(i -> Encoding.of(new float[3])).toList();
                }
            }
        };
    }

    @Test
    void aMisbehavingEncoderFailsOnlyItsOwnInputsWithALineNamingIt() {
        try (EncoderGuard guard = new EncoderGuard()) {
            check(guard);
        }
    }

    private static void check(EncoderGuard guard) {
        List<ModalityInput> two = List.of(new org.nmodal.api.data.TextInput("a"), new org.nmodal.api.data.TextInput("b"));
        assertTrue(guard.encode(misbehaving("good"), "good", two, 5_000).stream().allMatch(Encoding::ok));
        assertEquals("encoder short returned 2 values, it declares dimension 3",
                guard.encode(misbehaving("short"), "short", two, 5_000).get(0).error());
        assertEquals("encoder throws failed: IllegalStateException: boom",
                guard.encode(misbehaving("throws"), "throws", two, 5_000).get(1).error());
        assertEquals("encoder fewer returned 1 encodings for 2 inputs",
                guard.encode(misbehaving("fewer"), "fewer", two, 5_000).get(0).error());
        long t0 = System.nanoTime();
        assertEquals("encoder blocks did not answer within 300 ms",
                guard.encode(misbehaving("blocks"), "blocks", two, 300).get(0).error());
        assertTrue((System.nanoTime() - t0) / 1e6 < 5_000, "the caller goes on after the timeout");
        assertEquals(2, guard.failures().get("short").count(), "both inputs of the short one failed");
        assertFalse(guard.failures().containsKey("good"));
    }

}
