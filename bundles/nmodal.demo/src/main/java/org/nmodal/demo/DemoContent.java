package org.nmodal.demo;

import java.util.Random;
import org.nmodal.api.media.DecodedImage;

/**
 * A demo post's own content, so that cross-modal retrieval has something to find: an object (a colour, a shape, a
 * size and a place on a 3 x 3 grid) drawn in the image, moving through the video and named in the text with
 * paraphrases and clutter (with {@link #TWO}, a second one, still in the video). It comes from its own random
 * stream, so the stance and account signals of the post are drawn exactly as without it.
 *
 * @param first the object that also moves through the video
 * @param second the object that stays at its place in the video, or null (see {@link #TWO})
 * @param tone the brightness of the image's background, index into {@link #TONES} and {@link #VALUES}
 * @param saturation the saturation of the image's background, index into {@link #SATURATIONS}
 * @param description the text naming them
 */
record DemoContent(Thing first, Thing second, int tone, int saturation, String description) {
    /**
     * One object.
     *
     * @param colour index into {@link #COLOURS} and {@link #RGB}
     * @param shape index into {@link #SHAPES}
     * @param large whether it is large
     * @param place index into {@link #PLACES}: row-major on a 3 x 3 grid
     */
    record Thing(int colour, int shape, boolean large, int place) {
        /** Whether the point {@code (dx, dy)} from the centre is inside it, for radius {@code s}. */
        boolean inside(int dx, int dy, int s) {
            int ax = Math.abs(dx);
            int ay = Math.abs(dy);
            return switch (shape) {
                case 0 -> dx * dx + dy * dy <= s * s;
                case 1 -> ax <= s * 4 / 5 && ay <= s * 4 / 5;
                case 2 -> dy <= s * 3 / 4 && dy >= -s && ax <= (dy + s) / 2;
                case 3 -> dx * dx + dy * dy <= s * s && dx * dx + dy * dy >= (s * 3 / 5) * (s * 3 / 5);
                case 4 -> (ax <= s / 3 && ay <= s) || (ay <= s / 3 && ax <= s);
                default -> ax + ay <= s;
            };
        }

        /** The radius in an image of this side. */
        int radius(int side) {
            return (large ? 15 : 9) * side / 64;
        }
    }

    static final int[][] RGB = {{230, 30, 30}, {250, 140, 0}, {250, 230, 20}, {30, 180, 40}, {30, 60, 230},
        {140, 40, 200}, {250, 250, 250}, {10, 10, 10}, {250, 120, 190}, {20, 210, 220}};
    static final String[][] COLOURS = {{"red", "scarlet", "crimson"}, {"orange", "tangerine", "amber"},
        {"yellow", "golden", "lemon-coloured"}, {"green", "emerald", "grass-green"}, {"blue", "cobalt", "navy"},
        {"purple", "violet", "plum-coloured"}, {"white", "snow-white", "ivory"}, {"black", "jet-black", "pitch-black"},
        {"pink", "rose-pink", "bubblegum-pink"}, {"cyan", "turquoise", "aqua"}};
    static final String[][] SHAPES = {{"circle", "round disc", "dot"}, {"square", "box", "block"},
        {"triangle", "three-sided shape", "pyramid shape"}, {"ring", "hoop", "donut shape"}, {"cross", "plus sign",
            "cross shape"}, {"diamond", "rhombus", "diamond shape"}};
    static final String[][] SIZES = {{"small", "tiny", "little"}, {"big", "large", "huge"}};
    static final String[][] PLACES = {{"in the top left", "in the upper left corner", "up on the left"},
        {"at the top", "top centre", "up in the middle"}, {"in the top right", "in the upper right corner",
            "up on the right"}, {"on the left", "at the left edge", "left of centre"}, {"in the middle", "in the centre",
            "right in the center"}, {"on the right", "at the right edge", "right of centre"}, {"in the bottom left",
            "in the lower left corner", "down on the left"}, {"at the bottom", "bottom centre", "down in the middle"},
        {"in the bottom right", "in the lower right corner", "down on the right"}};
    /**
     * The background's brightness and saturation, named in the text: the weight-free image features see a colour
     * and its size well but shape and place poorly (measured: 0.3 and 0.2 of them decoded from image-classic), so
     * the backdrop gives text-to-image retrieval more that both sides know. The stance's stripes keep their contrast.
     */
    static final double[] VALUES = {0.4, 0.55, 0.7, 0.85};
    static final double[] SATURATIONS = {0.3, 0.6, 0.9};
    static final String[][] TONES = {{"dark", "night-dark", "shadowy"}, {"dim", "dusky", "half-lit"},
        {"medium-bright", "mid-toned", "moderately lit"}, {"bright", "light", "sunlit"}};
    static final String[][] SATURATION_WORDS = {{"pale", "washed-out", "greyish"}, {"soft-coloured", "mildly tinted",
        "gently coloured"}, {"vivid", "saturated", "intensely coloured"}};
    static final String[] BACKDROP = {"background", "backdrop", "scene"};
    /**
     * Whether a post gets a second object. Measured on the demo: two objects lift text-to-image R@1 (InfoNCE) from
     * 0.124 to 0.191, but cover so much of the image and the text that the stance falls below what it was without
     * content (all three modalities 0.9267 against 0.9414); one object keeps it (0.9446).
     */
    static final boolean TWO = false;
    private static final String[] CLUTTER = {"honestly", "no filter", "as usual", "you can see it", "lol",
        "just saying", "anyway", "what a day", "thoughts?", "again", "for real", "seen today"};

    /** The content of post {@code i} of a data set with this seed. */
    static DemoContent of(long seed, int i) {
        Random r = new Random((seed ^ 0x5DEECE66DL) * 1_000_033L + i * 7919L);
        Thing a = new Thing(r.nextInt(RGB.length), r.nextInt(SHAPES.length), r.nextBoolean(), r.nextInt(PLACES.length));
        Thing b = null;
        String text = describe(r, a);
        if (TWO) {
            do {
                b = new Thing(r.nextInt(RGB.length), r.nextInt(SHAPES.length), r.nextBoolean(), r.nextInt(PLACES.length));
            } while (b.colour() == a.colour() || b.place() == a.place());
            text += (r.nextBoolean() ? " and " : ", also ") + describe(r, b);
        }
        int tone = r.nextInt(VALUES.length);
        int saturation = r.nextInt(SATURATIONS.length);
        String back = pick(r, TONES[tone]) + ", " + pick(r, SATURATION_WORDS[saturation]) + " " + pick(r, BACKDROP);
        text += (r.nextBoolean() ? " on a " + back : ", against a " + back);
        String clutter = CLUTTER[r.nextInt(CLUTTER.length)];
        text = r.nextBoolean() ? clutter + ", " + text : text + ", " + clutter;
        return new DemoContent(a, b, tone, saturation, text);
    }

    private static String describe(Random r, Thing t) {
        String c = pick(r, COLOURS[t.colour()]);
        String s = pick(r, SHAPES[t.shape()]);
        String z = pick(r, SIZES[t.large() ? 1 : 0]);
        String p = pick(r, PLACES[t.place()]);
        return switch (r.nextInt(4)) {
            case 0 -> "a " + z + " " + c + " " + s + " " + p;
            case 1 -> p + " a " + c + " " + s + ", quite " + z;
            case 2 -> "the " + z + " " + s + " in " + c + " " + p;
            default -> "a " + c + " " + s + " (" + z + ") " + p;
        };
    }

    private static String pick(Random r, String[] options) {
        return options[r.nextInt(options.length)];
    }

    /** The centre of a place on the 3 x 3 grid of an image of this side, {x, y}. */
    static int[] centre(int place, int side) {
        return new int[] {(place % 3 * 2 + 1) * side / 6, (place / 3 * 2 + 1) * side / 6};
    }

    /** The image with both objects painted at their places (a new image; the input is left as it is). */
    DecodedImage paint(DecodedImage image) {
        DecodedImage out = new DecodedImage(image.width(), image.height(), image.rgb().clone(), image.timestampSeconds());
        int[] a = centre(first.place(), image.width());
        draw(out, first, a[0], a[1], 1);
        if (second != null) {
            int[] b = centre(second.place(), image.width());
            draw(out, second, b[0], b[1], 1);
        }
        return out;
    }

    /**
     * Paints a thing centred at {@code (cx, cy)} in place, its colour scaled by {@code level} and shaded by the
     * brightness of what it covers.
     */
    static void draw(DecodedImage img, Thing t, int cx, int cy, double level) {
        int w = img.width();
        int h = img.height();
        byte[] rgb = img.rgb();
        int s = t.radius(w);
        for (int y = Math.max(0, cy - s); y <= Math.min(h - 1, cy + s); y++) {
            for (int x = Math.max(0, cx - s); x <= Math.min(w - 1, cx + s); x++) {
                if (t.inside(x - cx, y - cy, s)) {
                    int o = 3 * (y * w + x);
                    // the texture underneath shows through (the stance's stripes run on across the object)
                    double lum = ((rgb[o] & 0xff) + (rgb[o + 1] & 0xff) + (rgb[o + 2] & 0xff)) / (3 * 255.0);
                    double shade = level * (0.4 + 0.6 * lum) / 0.7;
                    for (int c = 0; c < 3; c++) {
                        rgb[o + c] = (byte) Math.max(0, Math.min(255, (int) (RGB[t.colour()][c] * shade)));
                    }
                }
            }
        }
    }

    /** A video frame: the first object at {@code (qx, qy)}, the second at its place, both at brightness {@code level}. */
    void paintFrame(DecodedImage frame, int qx, int qy, double level) {
        if (second != null) {
            int[] b = centre(second.place(), frame.width());
            draw(frame, second, b[0], b[1], level);
        }
        draw(frame, first, qx, qy, level);
    }
}
