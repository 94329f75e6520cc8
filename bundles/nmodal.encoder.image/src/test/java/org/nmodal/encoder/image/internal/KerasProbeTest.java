package org.nmodal.encoder.image.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Opt-in ({@code -Dprobe.model=<file.onnx> -Dprobe.name=<nsfwjs model name> -Dprobe.size=<side>
 * -Dprobe.features=<width>}): {@link NsfwjsConversionTest}'s check for a network converted by hand with
 * {@code src/build/convert.mjs}, as was done for nsfwjs's Keras {@code mobilenet_v2} and {@code inception_v3} when
 * choosing the image network (README).
 */
@EnabledIfSystemProperty(named = "probe.model", matches = ".+")
class KerasProbeTest {
    @Test
    void probabilitiesMatchTensorFlowJs() throws Exception {
        Path model = Path.of(System.getProperty("probe.model"));
        double worst = NsfwjsConversionTest.worstDifference(model, System.getProperty("probe.name"),
                Integer.getInteger("probe.size", 224), Integer.getInteger("probe.features", 1280));
        System.out.printf("%s, ONNX vs tfjs: max |difference| of the probabilities: %.3g%n", model, worst);
        assertTrue(worst <= 1e-3, "max |difference| " + worst);
    }
}
