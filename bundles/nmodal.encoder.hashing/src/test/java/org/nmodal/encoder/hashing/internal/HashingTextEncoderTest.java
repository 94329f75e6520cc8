package org.nmodal.encoder.hashing.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nmodal.api.data.ImageFile;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.encoder.Encoding;

class HashingTextEncoderTest {
    static HashingTextEncoder.Config config(int dim) {
        return new HashingTextEncoder.Config() {
            @Override
            public int dimension() {
                return dim;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return HashingTextEncoder.Config.class;
            }
        };
    }

    private final HashingTextEncoder encoder = new HashingTextEncoder(config(256));

    @Test
    void sharedWordsMakeVectorsCloser() {
        float[] a = encoder.vector("the new phone has a great camera");
        float[] b = encoder.vector("great camera on the new phone");
        float[] c = encoder.vector("election results announced tonight");
        assertEquals(256, a.length);
        assertEquals(1.0, dot(a, a), 1e-5);
        assertTrue(dot(a, b) > dot(a, c) + 0.3, dot(a, b) + " vs " + dot(a, c));
    }

    @Test
    void deterministicAndCaseInsensitive() {
        assertArrayEquals(encoder.vector("Hello World"), new HashingTextEncoder(config(256)).vector("hello world"));
    }

    @Test
    void wrongInputFailsOnlyThatItem() {
        List<Encoding> out = encoder.encode(List.of(new TextInput("ok"), new ImageFile(Path.of("x.png"))));
        assertTrue(out.get(0).ok());
        assertFalse(out.get(1).ok());
        assertTrue(out.get(1).error().contains("ImageFile"), out.get(1).error());
    }

    @Test
    void rejectsTinyDimension() {
        assertThrows(IllegalArgumentException.class, () -> new HashingTextEncoder(config(2)));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
