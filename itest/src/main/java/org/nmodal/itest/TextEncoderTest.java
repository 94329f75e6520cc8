package org.nmodal.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nmodal.api.NModal;
import org.nmodal.api.data.ImageFile;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.encoder.Encoding;
import org.nmodal.api.encoder.ModalityEncoder;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.service.ServiceExtension;

/** MiniLM embeds inside the framework, through the ONNX Runtime engine of nmodal.djl. */
@ExtendWith(ServiceExtension.class)
class TextEncoderTest {
    @InjectService(filter = "(&(nmodal.kind=encoder)(nmodal.name=minilm))", timeout = 60_000)
    ServiceAware<ModalityEncoder> minilm;

    @Test
    void advertisesModalityAndDimension() {
        assertEquals("text", minilm.getServiceReference().getProperty(NModal.MODALITY));
        assertEquals(384, minilm.getServiceReference().getProperty(NModal.DIMENSION));
        ModalityEncoder encoder = minilm.getService();
        assertEquals(384, encoder.dimension());
        assertEquals("cpu", encoder.device());
    }

    @Test
    void paraphrasesAreCloserThanAnUnrelatedSentence() {
        List<Encoding> out = minilm.getService().encode(List.of(
                new TextInput("A child is riding a horse on the beach."),
                new TextInput("On the beach, a kid rides a horse."),
                new TextInput("Quarterly earnings beat analyst expectations.")));
        out.forEach(e -> assertTrue(e.ok(), e.error()));
        float[] a = out.get(0).vector();
        float[] b = out.get(1).vector();
        float[] c = out.get(2).vector();
        assertEquals(384, a.length);
        assertEquals(1.0, dot(a, a), 1e-4);
        assertTrue(dot(a, b) > dot(a, c) + 0.3, "paraphrase " + dot(a, b) + " vs unrelated " + dot(a, c));
        assertTrue(dot(a, b) > dot(b, c) + 0.3, "paraphrase " + dot(a, b) + " vs unrelated " + dot(b, c));
    }

    @Test
    void aWrongInputFailsAloneAndTheBatchGoesOn() {
        List<Encoding> out = minilm.getService().encode(List.of(
                new TextInput("fine"), new ImageFile(Path.of("cat.png")), new TextInput("also fine")));
        assertTrue(out.get(0).ok());
        assertFalse(out.get(1).ok());
        assertTrue(out.get(1).error().contains("ImageFile"), out.get(1).error());
        assertTrue(out.get(2).ok());
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
