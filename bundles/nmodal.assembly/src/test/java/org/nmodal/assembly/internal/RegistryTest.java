package org.nmodal.assembly.internal;

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
import org.nmodal.assembly.EncoderLease;
import org.nmodal.assembly.EncoderListener;

/** Encoder ranking and leases: a leaving encoder waits for the calls that hold it. */
class RegistryTest {
    /** A trivial encoder: the registry only needs names, modalities and identity. */
    private static ModalityEncoder encoder(String label) {
        return new ModalityEncoder() {
            @Override public String name() { return "enc"; }
            @Override public String modality() { return "text"; }
            @Override public int dimension() { return 1; }
            @Override public String device() { return label; }
            @Override public String version() { return "1"; }
            @Override public List<Encoding> encode(List<? extends ModalityInput> inputs) { return List.of(); }
        };
    }

    @Test
    void aServiceWhosePropertiesDisagreeWithItsMethodsIsNotUsed() {
        Registry registry = new Registry();
        // declares 64 dimensions, returns 1: pipelines would select it by the one and get vectors of the other
        registry.addEncoder(encoder("cpu"), Map.of("nmodal.name", "enc", "nmodal.modality", "text",
                "nmodal.dimension", 64, "service.id", 1L));
        org.junit.jupiter.api.Assertions.assertFalse(registry.hasEncoder("enc"));
        registry.addEncoder(encoder("cpu"), Map.of("nmodal.name", "enc", "nmodal.modality", "text",
                "nmodal.dimension", 1, "service.id", 2L));
        org.junit.jupiter.api.Assertions.assertTrue(registry.hasEncoder("enc"), "one that agrees is used");
        org.junit.jupiter.api.Assertions.assertEquals("nmodal.name is other but name() returns enc; nmodal.modality "
                + "is image but modality() returns text", org.nmodal.data.Declared.disagreement(
                        encoder("cpu"), Map.of("nmodal.name", "other", "nmodal.modality", "image")));
    }

    @Test
    void theHighestRankedEncoderServesAndALeavingOneWaitsForItsCalls() throws Exception {
        Registry registry = new Registry();
        List<String> removing = new ArrayList<>();
        registry.addListener(new EncoderListener() {
            @Override public void encoderAdded(String modality, String name) { }
            @Override public void encoderRemoving(String modality, String name) { removing.add(name); }
        });
        ModalityEncoder cpu = encoder("cpu");
        ModalityEncoder gpu = encoder("gpu");
        registry.addEncoder(cpu, Map.of("service.ranking", 0, "service.id", 1L));
        registry.addEncoder(gpu, Map.of("service.ranking", 10, "service.id", 2L));
        EncoderLease held = registry.lease("enc");
        assertSame(gpu, held.encoder(), "the higher ranking wins");

        Thread removal = new Thread(() -> registry.removeEncoder(gpu, Map.of("service.ranking", 10, "service.id", 2L)));
        removal.start();
        removal.join(300);
        assertTrue(removal.isAlive(), "the removal waits for the call that holds the encoder");
        try (EncoderLease next = registry.lease("enc")) {
            assertSame(cpu, next.encoder(), "new calls already go to the other instance");
        }
        held.close();
        removal.join(5_000);
        assertFalse(removal.isAlive(), "the removal ends once the call is done");
        assertEquals(List.of(), removing, "another instance of the name is left: nobody has to switch away");

        registry.removeEncoder(cpu, Map.of("service.ranking", 0, "service.id", 1L));
        assertEquals(List.of("enc"), removing, "the last one leaving is announced");
        assertNull(registry.lease("enc"));
    }

}
