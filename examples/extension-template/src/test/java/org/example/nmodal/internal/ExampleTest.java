package org.example.nmodal.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nmodal.api.classify.TrainedClassifier;
import org.nmodal.api.data.ImageFile;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.encoder.Encoding;

/** Plain unit tests of what runs without an engine; nmodal's own integration test loads the bundle into the runtime. */
class ExampleTest {
    @Test
    void wordStatsCountsWhatItSays() {
        List<Encoding> out = new WordStatsEncoder().encode(List.of(new TextInput("Big news! #city #city @bob"),
                new ImageFile(Path.of("x.png"))));
        float[] v = out.get(0).vector();
        assertEquals(12, v.length);
        assertEquals(2, v[2], "hashtags");
        assertEquals(1, v[3], "mentions");
        assertEquals(1, v[7], "exclamations");
        assertFalse(out.get(1).ok(), "an image is refused, alone");
    }

    @Test
    void nearestCentroidSeparatesTwoCloudsAndSurvivesSaving() throws Exception {
        Random r = new Random(1);
        float[][] x = new float[200][];
        int[] y = new int[200];
        for (int i = 0; i < x.length; i++) {
            y[i] = i % 2;
            x[i] = new float[] {(float) (r.nextGaussian() + 3 * y[i]), (float) r.nextGaussian()};
        }
        NearestCentroidClassifier family = new NearestCentroidClassifier();
        TrainedClassifier model = family.train(x, y, 2, 1);
        int right = 0;
        for (int i = 0; i < 100; i++) {
            float[] q = {(float) (r.nextGaussian() + 3 * (i % 2)), (float) r.nextGaussian()};
            right += model.predict(q) == i % 2 ? 1 : 0;
        }
        assertTrue(right >= 90, "held-out accuracy " + right + "%, bar 90%");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        model.save(bytes);
        TrainedClassifier back = family.load(new ByteArrayInputStream(bytes.toByteArray()));
        assertArrayEquals(model.probabilities(x[0]), back.probabilities(x[0]), 1e-12);
    }
}
