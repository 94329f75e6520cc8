package org.nmodal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nmodal.api.media.DecodedImage;

class DemoContentTest {
    @Test
    void eachPostGetsItsOwnSeededContentNamedInTheText() {
        Set<String> kinds = new HashSet<>();
        for (int i = 0; i < 600; i++) {
            DemoContent c = DemoContent.of(7, i);
            assertEquals(c, DemoContent.of(7, i), "seeded");
            String text = c.description();
            for (DemoContent.Thing t : things(c)) {
                assertTrue(Arrays.stream(DemoContent.COLOURS[t.colour()]).anyMatch(text::contains), text);
                assertTrue(Arrays.stream(DemoContent.SHAPES[t.shape()]).anyMatch(text::contains), text);
                assertTrue(Arrays.stream(DemoContent.PLACES[t.place()]).anyMatch(text::contains), text);
            }
            assertTrue(Arrays.stream(DemoContent.TONES[c.tone()]).anyMatch(text::contains), text);
            assertTrue(Arrays.stream(DemoContent.SATURATION_WORDS[c.saturation()]).anyMatch(text::contains), text);
            kinds.add(c.first() + "/" + c.second() + "/" + c.tone() + "/" + c.saturation());
        }
        // 1,080 combinations for one object, 12 backdrops: nearly all of 600 posts have content of their own
        assertTrue(kinds.size() > 580, kinds.size() + " distinct contents");
        assertNotEquals(DemoContent.of(7, 1).description(), DemoContent.of(8, 1).description());
    }

    @Test
    void theObjectsArePaintedAtTheirPlacesInTheirColours() {
        byte[] grey = new byte[3 * 64 * 64];
        Arrays.fill(grey, (byte) 128);
        DecodedImage blank = new DecodedImage(64, 64, grey, 0);
        for (int i = 0; i < 40; i++) {
            DemoContent c = DemoContent.of(3, i);
            DecodedImage img = c.paint(blank);
            for (DemoContent.Thing t : things(c)) {
                int[] at = DemoContent.centre(t.place(), 64);
                // on mid grey the shade is 0.4 + 0.6 * 128/255 over 0.7: the colour nearly as it is
                double shade = (0.4 + 0.6 * 128 / 255.0) / 0.7;
                int[] want = new int[3];
                for (int k = 0; k < 3; k++) {
                    want[k] = Math.min(255, (int) (DemoContent.RGB[t.colour()][k] * shade));
                }
                int painted = 0;
                int near = 0;
                for (int y = 0; y < 64; y++) {
                    for (int x = 0; x < 64; x++) {
                        if (img.channel(x, y, 0) == want[0] && img.channel(x, y, 1) == want[1]
                                && img.channel(x, y, 2) == want[2]) {
                            painted++;
                            near += Math.abs(x - at[0]) <= 15 && Math.abs(y - at[1]) <= 15 ? 1 : 0;
                        }
                    }
                }
                assertTrue(painted > 5, "post " + i + ": " + painted + " pixels");
                assertEquals(painted, near, "post " + i + ": painted away from its place");
            }
            assertEquals(128, blank.channel(32, 32, 0), "the input image is left as it was");
        }
    }

    private static java.util.List<DemoContent.Thing> things(DemoContent c) {
        return c.second() == null ? java.util.List.of(c.first()) : java.util.List.of(c.first(), c.second());
    }
}
