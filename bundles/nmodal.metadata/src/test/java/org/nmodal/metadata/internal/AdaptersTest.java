package org.nmodal.metadata.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nmodal.api.data.FeatureVector;
import org.nmodal.api.data.ModalityInput;
import org.nmodal.api.data.Post;
import org.nmodal.api.data.PostMetadata;
import org.nmodal.api.data.TextInput;
import org.nmodal.api.metadata.MetadataAdapter;

/** Each adapter on hand-made posts: well-formed, empty and malformed metadata. */
class AdaptersTest {
    private static Post post(List<String> hashtags, String caption, List<String> tags, Instant time, String account,
            Map<String, String> extra) {
        return new Post("p", Map.of(), new PostMetadata(hashtags, caption, tags, time, account, extra), null, null);
    }

    private static Post empty() {
        return new Post("e", Map.of(), null, null, null);
    }

    private static String text(Optional<ModalityInput> in) {
        return ((TextInput) in.orElseThrow()).text();
    }

    private static float[] vector(Optional<ModalityInput> in) {
        return ((FeatureVector) in.orElseThrow()).values();
    }

    @Test
    void hashtagsAsTextAndAsWords() {
        Post p = post(List.of("#BlackFriday", "deals", "  ", "##deals", "new_phone2024"), null, null, null,
                null, null);
        assertEquals("#BlackFriday #deals #new_phone2024", text(new HashtagsAdapter().adapt(p)));
        assertEquals("black friday, deals, new phone 2024", text(new HashtagWordsAdapter().adapt(p)));
        // only separators: nothing to say, so no modality rather than an empty text
        Post junk = post(List.of("#", " # ", "\t"), null, null, null, null, null);
        assertTrue(new HashtagsAdapter().adapt(junk).isEmpty());
        assertTrue(new HashtagWordsAdapter().adapt(junk).isEmpty());
        assertTrue(new HashtagsAdapter().adapt(empty()).isEmpty());
        assertEquals("#two_words", text(new HashtagsAdapter().adapt(post(List.of("two words"), null, null, null, null,
                null))));
    }

    @Test
    void captionIsCleanedAndBlankIsMissing() {
        assertEquals("a dog on a beach", text(new CaptionAdapter().adapt(post(null, "  a dog\n on\ta beach ", null,
                null, null, null))));
        assertTrue(new CaptionAdapter().adapt(post(null, " \n ", null, null, null, null)).isEmpty());
        assertTrue(new CaptionAdapter().adapt(empty()).isEmpty());
    }

    @Test
    void tagsPromptTakesTheSceneFieldOrTheFirstTag() {
        TagsPromptAdapter a = new TagsPromptAdapter();
        assertEquals("the scene of the image is beach, and it contains: dog, ball",
                text(a.adapt(post(null, null, List.of("beach", "dog", "ball", "dog"), null, null, null))));
        assertEquals("the scene of the image is stadium, and it contains: crowd, flag",
                text(a.adapt(post(null, null, List.of("crowd", "flag", "stadium"), null, null,
                        Map.of("scene", " stadium ")))));
        assertEquals("the scene of the image is kitchen.", text(a.adapt(post(null, null, List.of("kitchen"), null, null,
                null))));
        assertEquals("the scene of the image is night.", text(a.adapt(post(null, null, List.of(), null, null,
                Map.of("scene", "night")))));
        assertTrue(a.adapt(post(null, null, List.of(" ", ""), null, null, Map.of("scene", " "))).isEmpty());
        assertTrue(a.adapt(empty()).isEmpty());
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add("t" + i);
        }
        String prompt = text(a.adapt(post(null, null, many, null, null, null)));
        assertEquals(TagsPromptAdapter.MAX_OBJECTS, prompt.split(": ")[1].split(", ").length);
    }

    @Test
    void timeIsCyclicalHourAndWeekdayAndYears() {
        TimeAdapter a = new TimeAdapter();
        // Monday 2024-01-01 06:00 UTC: a quarter of the day, the first day of the week
        float[] v = vector(a.adapt(post(null, null, null, Instant.parse("2024-01-01T06:00:00Z"), null, null)));
        assertEquals(a.dimension(), v.length);
        assertArrayEquals(new float[] {1, 0, 0, 1}, Arrays.copyOf(v, 4), 1e-6f);
        assertEquals(24.0, v[4], 0.01);
        // a minute before and after midnight are neighbours on the circle
        float[] late = vector(a.adapt(post(null, null, null, Instant.parse("2024-01-07T23:59:00Z"), null, null)));
        float[] early = vector(a.adapt(post(null, null, null, Instant.parse("2024-01-08T00:01:00Z"), null, null)));
        assertEquals(late[1], early[1], 1e-3);
        assertEquals(-late[0], early[0], 1e-3);
        assertTrue(a.adapt(empty()).isEmpty());
        assertTrue(a.adapt(post(null, null, null, Instant.parse("3000-01-01T00:00:00Z"), null, null)).isEmpty());
    }

    @Test
    void accountIsAStableHashedOneHot() {
        AccountAdapter a = new AccountAdapter();
        float[] v = vector(a.adapt(post(null, null, null, null, "@Acme ", null)));
        assertEquals(a.dimension(), v.length);
        assertEquals(1.0, sum(v), 0);
        assertArrayEquals(v, vector(a.adapt(post(null, null, null, null, "acme", null))));
        // FNV-1a of "acme", checked by hand: a change of hash would move every stored model's accounts
        assertEquals(Long.remainderUnsigned(fnv("acme"), 64), AccountAdapter.bucket("acme"));
        long distinct = java.util.stream.IntStream.range(0, 20).map(i -> AccountAdapter.bucket("user" + i)).distinct()
                .count();
        assertTrue(distinct >= 12, "20 accounts spread over the buckets: " + distinct);
        assertNotEquals(AccountAdapter.bucket("a"), AccountAdapter.bucket("b"));
        assertTrue(a.adapt(post(null, null, null, null, " @ ", null)).isEmpty());
        assertTrue(a.adapt(empty()).isEmpty());
    }

    @Test
    void namesAndWidthsAreConsistent() {
        for (MetadataAdapter a : List.of(new HashtagsAdapter(), new HashtagWordsAdapter(), new CaptionAdapter(),
                new TagsPromptAdapter(), new TimeAdapter(), new AccountAdapter())) {
            assertTrue(a.modality().startsWith("meta."), a.name());
            boolean vectors = a instanceof TimeAdapter || a instanceof AccountAdapter;
            assertEquals(vectors, a.dimension() > 0, a.name());
        }
    }

    private static double sum(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s;
    }

    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (char c : s.toCharArray()) {
            h = (h ^ c) * 0x100000001b3L;
        }
        return h;
    }
}
