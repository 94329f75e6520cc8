package org.nmodal.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdamWTest {
    /**
     * A gradient left in a parameter before the optimiser exists (here a real one from an earlier backward pass, as
     * garbage in a fresh buffer would be) must not reach the first step: the constructor clears it, so the first step
     * moves by exactly lr · sign of the new gradient (Adam's first step, bias-corrected, is lr · g/|g|).
     */
    @Test
    void aGradientLeftBeforeTheOptimiserDoesNotReachTheFirstStep() {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = engine.newBaseManager()) {
            NDArray p = m.create(new float[] {1, 2});
            p.setRequiresGradient(true);
            try (GradientCollector gc = engine.newGradientCollector()) {
                gc.backward(p.mul(-1000f).sum()); // leaves a gradient of -1000 in both
            }
            AdamW adam = new AdamW(m, List.of(p), x -> false);
            try (GradientCollector gc = engine.newGradientCollector()) {
                gc.backward(p.mul(m.create(new float[] {1, -1})).sum()); // gradient (1, -1)
            }
            adam.step(0.1, 0);
            // without the clearing the first gradient would be (-999, -1001): both weights would rise by 0.1
            assertArrayEquals(new float[] {0.9f, 2.1f}, p.toFloatArray(), 1e-5f);
        }
    }

    /**
     * One gradient spike (1e6) then twenty steps whose gradient points the other way: without clipping the spike's
     * first moment keeps pushing the weight down for about a hundred steps; clipped at 1 it is outweighed after two.
     */
    @Test
    void clippingStopsOneSpikeFromSteeringTheNextSteps() {
        assertTrue(afterSpike(1) > 0, "clipped: the weight turned back up");
        assertTrue(afterSpike(-1) < -0.1, "unclipped: the spike still steers");
    }

    private static double afterSpike(double clip) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = engine.newBaseManager()) {
            NDArray p = m.create(new float[] {0});
            p.setRequiresGradient(true);
            AdamW adam = new AdamW(m, List.of(p), x -> false, clip);
            for (int step = 0; step < 21; step++) {
                try (GradientCollector gc = engine.newGradientCollector()) {
                    gc.backward(p.mul(step == 0 ? 1e6f : -1f).sum());
                }
                adam.step(0.1, 0);
            }
            return p.toFloatArray()[0];
        }
    }
}
