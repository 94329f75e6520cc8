package org.nmodal.encoder.text.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real model, outside OSGi: model files come from target/classes/model (unpacked at build time). */
class MiniLmModelTest {
    private static TransformerModel model;

    @BeforeAll
    static void load() throws Exception {
        model = new TransformerModel(Path.of("target/classes/model"), "all-minilm-l6-v2", "mean", Device.cpu(), 256, 8, 1, 0);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void unitLengthVectorsOf384() throws Exception {
        float[] v = model.embed(List.of("a cat sits on the mat")).get(0);
        assertEquals(384, v.length);
        assertEquals(1.0, norm(v), 1e-4);
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedText() throws Exception {
        List<float[]> v = model.embed(List.of(
                "A man is playing a guitar on stage.",
                "On stage, a guy plays the guitar.",
                "The central bank raised interest rates again."));
        double para = dot(v.get(0), v.get(1));
        double unrelated = Math.max(dot(v.get(0), v.get(2)), dot(v.get(1), v.get(2)));
        assertTrue(para > 0.7, "paraphrase similarity " + para);
        assertTrue(para > unrelated + 0.4, "paraphrase " + para + " vs unrelated " + unrelated);
    }

    @Test
    void batchingAndPaddingDoNotChangeVectors() throws Exception {
        String shortText = "hello world";
        String longText = "a considerably longer sentence that forces padding of the short one in the same batch";
        float[] alone = model.embed(List.of(shortText)).get(0);
        List<float[]> batch = model.embed(List.of(shortText, longText));
        assertArrayEquals(alone, batch.get(0), 1e-4f);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}
