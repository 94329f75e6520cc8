package org.nmodal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's content hashtags: the filter follows the image's look, the light the video's level. */
class DemoHashtagsTest {
    @Test
    void filterAndLightTagsFollowTheMedia() {
        int n = 2000;
        int filters = 0;
        int lights = 0;
        for (int i = 0; i < n; i++) {
            List<String> dull = DemoHashtags.of(List.of("tech"), 0, true, 7, i, new double[] {0.3, 0.4}, 0.55);
            List<String> vivid = DemoHashtags.of(List.of("tech"), 0, true, 7, i, new double[] {0.9, 0.85}, 0.9);
            List<String> changing = DemoHashtags.of(List.of("tech"), 0, true, 7, i, new double[] {0.9, 0.85}, -1);
            assertEquals("tech", dull.get(0));
            // the same random stream: the same posts get a filter and a light tag, only their names differ
            assertEquals(dull.contains("gingham"), vivid.contains("ludwig"), "post " + i);
            assertEquals(dull.contains("nightshot"), vivid.contains("broaddaylight"), "post " + i);
            assertEquals(vivid.contains("broaddaylight"), changing.contains("timelapse"), "post " + i);
            assertTrue(!dull.contains("ludwig") && !vivid.contains("gingham") && !vivid.contains("nightshot"));
            filters += dull.contains("gingham") ? 1 : 0;
            lights += dull.contains("nightshot") ? 1 : 0;
        }
        assertTrue(filters > 0.85 * n && filters < 0.95 * n, "filter tags " + filters);
        assertTrue(lights > 0.85 * n && lights < 0.95 * n, "light tags " + lights);
        assertEquals(DemoHashtags.of(List.of("a"), 2, false, 7, 42, new double[] {0.6, 0.55}, 0.7),
                DemoHashtags.of(List.of("a"), 2, false, 7, 42, new double[] {0.6, 0.55}, 0.7), "follows from the seed");
    }
}
