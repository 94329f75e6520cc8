package org.nmodal.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The demo's caption, tags and time: mostly present, sometimes missing, related to the stance in some posts only. */
class DemoMetadataTest {
    @Test
    void metadataVariesInPresenceAndRelevance() {
        int n = 2000;
        int captions = 0;
        int tags = 0;
        int stanceCaptions = 0;
        int[] morning = new int[2];
        int[] posts = new int[2];
        for (int i = 0; i < n; i++) {
            boolean pro = i % 2 == 0;
            JsonObject meta = new JsonObject();
            DemoMetadata.add(meta, 7, i, i % 6, pro);
            if (meta.has("caption")) {
                captions++;
                String c = meta.get("caption").getAsString();
                stanceCaptions += c.contains("cheer") || c.contains("joyful") || c.contains("smiling")
                        || c.contains("angr") || c.contains("gloomy") || c.contains("frowning") ? 1 : 0;
            }
            if (meta.has("tags")) {
                tags++;
                assertTrue(meta.has("scene"));
            }
            int hour = Instant.parse(meta.get("timestamp").getAsString()).atZone(ZoneOffset.UTC).getHour();
            posts[pro ? 0 : 1]++;
            morning[pro ? 0 : 1] += hour >= 6 && hour < 12 ? 1 : 0;
        }
        assertTrue(captions > 0.85 * n && captions < 0.95 * n, "captions " + captions);
        assertTrue(tags > 0.8 * n && tags < 0.9 * n, "tags " + tags);
        assertTrue(stanceCaptions > 0.3 * captions && stanceCaptions < 0.5 * captions, "stance captions " + stanceCaptions);
        assertTrue(morning[0] / (double) posts[0] > 0.6 && morning[1] / (double) posts[1] < 0.2,
                "pro posts lean to mornings: " + morning[0] + "/" + posts[0] + " vs " + morning[1] + "/" + posts[1]);
        JsonObject a = new JsonObject();
        JsonObject b = new JsonObject();
        DemoMetadata.add(a, 7, 42, 1, true);
        DemoMetadata.add(b, 7, 42, 1, true);
        assertEquals(a, b, "follows from the seed");
    }
}
