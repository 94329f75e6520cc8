package org.nmodal.fusion.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nmodal.api.batch.ModalityBatch;
import org.nmodal.api.fusion.Fusion;

class FusionsTest {
    private NDManager manager;
    private ModalityBatch batch;
    private final List<String> ms = List.of("text", "image");

    @BeforeEach
    void open() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
        // post 0 has both; post 1 has text only (its image row holds junk that must not leak)
        NDArray text = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
        NDArray image = manager.create(new float[] {5, 6, 99, 99}, new Shape(2, 2));
        NDArray presence = manager.create(new float[] {1, 1, 1, 0}, new Shape(2, 2));
        batch = new ModalityBatch(ms, Map.of("text", text, "image", image), presence);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void concatZeroesMissingModalities() {
        Fusion f = new Fusions.Concat().create(ms, 2, Map.of(), manager);
        assertEquals(4, f.outputDimension());
        assertArrayEquals(new float[] {1, 2, 5, 6, 3, 4, 0, 0}, f.fuse(batch).toFloatArray());
    }

    @Test
    void meanAveragesOnlyPresentModalities() {
        Fusion f = new Fusions.Mean().create(ms, 2, Map.of(), manager);
        assertArrayEquals(new float[] {3, 4, 3, 4}, f.fuse(batch).toFloatArray(), 1e-6f);
    }

    @Test
    void gatedStartsAsTheMeanAndLearns() {
        Fusion f = new Fusions.Gated().create(ms, 2, Map.of(), manager);
        assertArrayEquals(new float[] {3, 4, 3, 4}, f.fuse(batch).toFloatArray(), 1e-5f);
        NDArray gates = f.parameters().get(0);
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            gc.backward(f.fuse(batch).sum());
        }
        float[] g = gates.getGradient().toFloatArray();
        // raising the image gate moves post 0 from text (sum 3) towards image (sum 11): positive gradient
        assertTrue(g[1] > 0 && g[0] < 0, "gradients " + g[0] + ", " + g[1]);
    }

    @Test
    void unknownSettingsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Fusions.Mean().create(ms, 2, Map.of("weights", 1), manager));
        assertTrue(e.getMessage().contains("unknown setting 'weights'"), e.getMessage());
    }

    @Test
    void crossAttentionStartsAsTheConcatenationIgnoresAbsentModalitiesAndLearns() {
        List<String> three = List.of("text", "image", "audio");
        // post 0 has all three; post 1 lacks image (junk row) and audio (junk row)
        NDArray text = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
        NDArray image = manager.create(new float[] {5, 6, 99, 99}, new Shape(2, 2));
        NDArray audio = manager.create(new float[] {7, 8, 55, 55}, new Shape(2, 2));
        NDArray presence = manager.create(new float[] {1, 1, 1, 1, 0, 0}, new Shape(2, 3));
        ModalityBatch b = new ModalityBatch(three, Map.of("text", text, "image", image, "audio", audio), presence);
        Fusion f = new CrossAttentionFusion().create(three, 2, Map.of(), manager);
        assertEquals(6, f.outputDimension());
        // untrained it is the concatenation [text, image, audio], zeros where a post lacks one
        assertArrayEquals(new float[] {1, 2, 5, 6, 7, 8, 3, 4, 0, 0, 0, 0}, f.fuse(b).toFloatArray(), 1e-5f);
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            gc.backward(f.fuse(b).sum());
        }
        NDArray wo = f.parameters().get(3);
        assertTrue(wo.getGradient().abs().sum().getFloat() > 0, "the output projection gets a gradient");
        // without the query modality it is the concatenation
        Fusion plain = new CrossAttentionFusion().create(ms, 2, Map.of(), manager);
        assertArrayEquals(new float[] {1, 2, 5, 6, 3, 4, 0, 0}, plain.fuse(batch).toFloatArray(), 1e-6f);
        assertThrows(IllegalArgumentException.class,
                () -> new CrossAttentionFusion().create(three, 2, Map.of("heads", 2.0), manager));
    }
}
