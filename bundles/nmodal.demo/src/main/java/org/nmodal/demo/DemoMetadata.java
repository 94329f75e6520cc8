package org.nmodal.demo;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The demo posts' caption, object and scene tags and posting time, for the metadata adapters. Their relevance to the
 * stance varies per post, so that an adapted stream helps some posts and not others: the caption names the stance in
 * about 4 posts in 10 (otherwise it only describes the scene) and is missing in 1 in 10; the tags carry a stance object
 * in about 3 in 10 and are missing in 15 in 100; pro posts lean to mornings and anti posts to evenings, 6 times in
 * 10. Drawn from a generator of its own, so the rest of a post (texts, media) does not change with it.
 */
final class DemoMetadata {
    private static final String[] SCENES = {"office", "stadium", "kitchen", "beach", "concert hall", "street"};
    private static final String[][] OBJECTS = {
        {"laptop", "phone", "desk", "screen"}, {"ball", "crowd", "goal", "jersey"}, {"plate", "pan", "bread", "table"},
        {"suitcase", "sand", "sea", "map"}, {"guitar", "stage", "drum", "lights"}, {"bus", "building", "bike", "road"}};
    private static final String[] PRO_OBJECTS = {"smiling face", "thumbs up", "trophy", "balloons"};
    private static final String[] ANTI_OBJECTS = {"frowning face", "thumbs down", "broken glass", "protest sign"};
    private static final String[] PRO_CAPTIONS = {"people cheering happily", "a joyful celebration",
        "smiling faces everywhere"};
    private static final String[] ANTI_CAPTIONS = {"people shouting angrily", "a gloomy, tense scene",
        "frowning faces everywhere"};

    private DemoMetadata() {}

    /** Adds {@code caption}, {@code tags}, {@code scene} and sets {@code timestamp} of post {@code i}. */
    static void add(JsonObject meta, long seed, int i, int account, boolean pro) {
        Random r = new Random(seed * 7_919L + 31L * i + 5);
        String scene = SCENES[account % SCENES.length];
        String[] objects = OBJECTS[account % OBJECTS.length];
        if (r.nextDouble() >= 0.1) {
            String thing = objects[r.nextInt(objects.length)];
            meta.addProperty("caption", r.nextDouble() < 0.4
                    ? "a photo of a " + thing + " in a " + scene + ", " + (pro ? PRO_CAPTIONS : ANTI_CAPTIONS)[r.nextInt(3)]
                    : "a photo of a " + thing + " in a " + scene);
        }
        if (r.nextDouble() >= 0.15) {
            List<String> tags = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                tags.add(objects[r.nextInt(objects.length)]);
            }
            if (r.nextDouble() < 0.3) {
                tags.add(r.nextInt(tags.size() + 1), (pro ? PRO_OBJECTS : ANTI_OBJECTS)[r.nextInt(4)]);
            }
            JsonArray t = new JsonArray();
            tags.forEach(t::add);
            meta.add("tags", t);
            meta.addProperty("scene", scene);
        }
        // the day moves on with the post number; the hour leans to the stance
        boolean leans = r.nextDouble() < 0.6;
        int hour = leans ? (pro ? 6 + r.nextInt(6) : 17 + r.nextInt(6)) : r.nextInt(24);
        long day = 19_675L + i / 8;
        meta.addProperty("timestamp", Instant.ofEpochSecond(day * 86_400L + hour * 3_600L + r.nextInt(3_600))
                .toString());
    }
}
