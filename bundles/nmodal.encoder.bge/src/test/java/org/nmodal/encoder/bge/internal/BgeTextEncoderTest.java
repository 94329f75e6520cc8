package org.nmodal.encoder.bge.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nmodal.api.TypedConfig;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.encoder.Encoding;

/** The real model, outside OSGi: model files come from target/classes/model (unpacked and checked at build time). */
class BgeTextEncoderTest {
    private static final Path DIR = Path.of("target/classes/model");
    private static BgeTextEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        encoder = new BgeTextEncoder(Engine.getEngine("OnnxRuntime"), DIR,
                TypedConfig.of(org.nmodal.encoder.text.transformer.TransformerConfig.class, Map.of("batchSize", 8, "predictors", 1)));
    }

    @AfterAll
    static void close() throws Exception {
        encoder.deactivate();
    }

    @Test
    void theQuantisedModelTakesTheThreeBertInputs() throws Exception {
        try (Model m = Model.newInstance("bge", Device.cpu(), "OnnxRuntime")) {
            m.load(DIR, BgeTextEncoder.MODEL.stem());
            assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), m.describeInput().keys());
        }
    }

    @Test
    void unitLengthVectorsOf384() {
        Encoding e = encoder.encode(List.of(new TextInput("a cat sits on the mat"))).get(0);
        assertTrue(e.ok(), e.error());
        assertEquals(384, e.vector().length);
        assertEquals(384, encoder.dimension());
        assertEquals("bge-small", encoder.name());
        assertEquals("bge-small-en-v1.5-q/cls/l2/max256", encoder.version());
        assertEquals(1.0, Math.sqrt(dot(e.vector(), e.vector())), 1e-4);
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedText() {
        List<float[]> v = vectors("A man is playing a guitar on stage.", "On stage, a guy plays the guitar.",
                "The central bank raised interest rates again.");
        double para = dot(v.get(0), v.get(1));
        double unrelated = Math.max(dot(v.get(0), v.get(2)), dot(v.get(1), v.get(2)));
        // bge's cosines are compressed towards the top (unrelated English sits near 0.4-0.6): compare, do not threshold
        assertTrue(para > 0.8, "paraphrase similarity " + para);
        assertTrue(para > unrelated + 0.15, "paraphrase " + para + " vs unrelated " + unrelated);
    }

    @Test
    void batchingAndPaddingBarelyChangeVectors() {
        float[] alone = vectors("hello world").get(0);
        List<float[]> batch = vectors("hello world",
                "a considerably longer sentence that forces padding of the short one in the same batch");
        // the int8 model quantises activations dynamically (DynamicQuantizeLinear), one scale per tensor over the
        // whole padded batch: a text's vector moves a little with its batch companions (cosine about 0.99; MiniLM's
        // fp32 model does not move at all), but one batch always gives the same vectors
        assertTrue(dot(alone, batch.get(0)) > 0.98, "cosine " + dot(alone, batch.get(0)));
        assertArrayEquals(batch.get(0), vectors("hello world",
                "a considerably longer sentence that forces padding of the short one in the same batch").get(0), 0f,
                "the same batch gives the same vector");
    }

    @Test
    void aNonTextInputFailsAloneWithALine() {
        List<Encoding> out = encoder.encode(java.util.Arrays.asList(new TextInput("fine"), null));
        assertTrue(out.get(0).ok());
        assertFalse(out.get(1).ok());
        assertEquals("bge-small encodes text, not null", out.get(1).error());
    }

    private static List<float[]> vectors(String... texts) {
        return encoder.encode(java.util.Arrays.stream(texts).map(TextInput::new).toList()).stream().map(e -> {
            assertTrue(e.ok(), e.error());
            return e.vector();
        }).toList();
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
