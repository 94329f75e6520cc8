package org.nmodal.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class NeighbourContextTest {
    // four posts in 2-D; tags over a vocabulary of three
    private final float[][] x = {{1, 0}, {1, 1}, {0, 1}, {-1, 0}};
    private final List<int[]> known = List.of(new int[] {0}, new int[] {1, 2}, new int[] {2}, new int[] {0});

    @Test
    void weightsTheNeighboursTagsByCosineAndLeavesThePostItselfOut() {
        NeighbourContext c = new NeighbourContext(x, known, new int[] {0, 1, 2, 3}, 3, 2, 10);
        // post 0 without itself: nearest are post 1 (cos 0.7071) and post 2 (cos 0); post 2's zero adds nothing.
        // Post 1's tags 1 and 2 get 0.7071 each; scaled to sum to 10: 5 and 5
        assertArrayEquals(new float[] {0, 5, 5}, c.of(x[0], 0), 1e-5f);
        // post 1 without itself: posts 0 and 2 (cos 0.7071 each): tag 0 gets 0.7071, tag 2 gets 0.7071
        assertArrayEquals(new float[] {5, 0, 5}, c.of(x[1], 1), 1e-5f);
        // a new post at (1, 0) sees post 0 (cos 1) and post 1 (0.7071): tags 0: 1, 1: 0.7071, 2: 0.7071 of 2.4142
        float s = (float) (10 / (1 + 2 * Math.sqrt(0.5)));
        assertArrayEquals(new float[] {s, (float) Math.sqrt(0.5) * s, (float) Math.sqrt(0.5) * s},
                c.of(new float[] {1, 0}, -1), 1e-4f);
    }

    @Test
    void aPowerAboveOneFavoursTheNearestNeighbour() {
        NeighbourContext c = new NeighbourContext(x, known, new int[] {0, 1, 2, 3}, 3, 2, 10, 2);
        // a new post at (1, 0): post 0 adds 1^2 to tag 0, post 1 adds 0.7071^2 = 0.5 to tags 1 and 2; total 2
        assertArrayEquals(new float[] {5, 2.5f, 2.5f}, c.of(new float[] {1, 0}, -1), 1e-4f);
    }

    @Test
    void aPostWithOnlyDissimilarNeighboursHasAnEmptyContext() {
        NeighbourContext c = new NeighbourContext(x, known, new int[] {0}, 3, 5, 10);
        assertArrayEquals(new float[] {0, 0, 0}, c.of(x[3], 3), 0f); // cos(-1,0 ; 1,0) = -1
    }

    @Test
    void theInputIsTheFeaturesFollowedByTheContext() {
        NeighbourContext c = new NeighbourContext(x, known, new int[] {0, 1, 2, 3}, 3, 2, 10);
        float[][] in = c.inputs(x, new int[] {0, 2});
        assertArrayEquals(new float[] {1, 0, 0, 5, 5}, in[0], 1e-5f);
        assertEquals(5, in[2].length);
        assertNull(in[1]);
        // as a post from outside the pool, post 0's own row counts: cos 1 to itself, 0.7071 to post 1
        float s = (float) (10 / (1 + 2 * Math.sqrt(0.5)));
        assertArrayEquals(new float[] {1, 0, s, (float) Math.sqrt(0.5) * s, (float) Math.sqrt(0.5) * s},
                c.input(x[0]), 1e-4f);
    }
}
