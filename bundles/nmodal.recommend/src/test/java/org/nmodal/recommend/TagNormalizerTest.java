package org.nmodal.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TagNormalizerTest {
    @Test
    void caseHashAndInflectionAreOneTag() {
        TagNormalizer n = new TagNormalizer(true);
        assertEquals(n.normalize("election"), n.normalize("#Elections"));
        assertEquals(n.normalize("running"), n.normalize("RUNS"));
        assertEquals("cdnpoli", n.normalize(" #cdnpoli "));
        assertEquals("elections", new TagNormalizer(false).normalize("#Elections"));
        assertEquals("", n.normalize("#"));
    }

    @Test
    void theVocabularyKeepsTagsOfAtLeastMinCountPostsMostFrequentFirst() {
        List<List<String>> tags = List.of(List.of("Cats", "dog"), List.of("cat", "cat"), List.of("cat", "dogs"),
                List.of("bird"), List.of("cats"));
        TagVocabulary v = TagVocabulary.build(tags, new int[] {0, 1, 2, 3}, new TagNormalizer(true), 2);
        assertEquals(2, v.size());
        assertEquals("cat", v.shown(0)); // written "cat" twice, "cats" once in rows 0-3
        assertEquals(3, v.count(0)); // a post counts once
        assertEquals(2, v.count(1));
        assertArrayEquals(new int[] {1, 0}, v.encode(List.of("DOG", "#cats", "bird")));
        assertEquals(0, v.indexOf("Cat").orElseThrow());
        assertEquals(List.of(0), Arrays.stream(v.encode(List.of("cats"))).boxed().toList());
    }
}
