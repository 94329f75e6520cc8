package org.nmodal.assembly.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nmodal.api.InvalidInputException;
import org.nmodal.api.pipeline.SubsetRule;
import org.nmodal.data.JsonFields;
import org.nmodal.evaluation.Evaluator;

/**
 * evaluate.subsets as a pipeline file writes it: how many subsets each rule gives for N streams, explicit subsets,
 * and the one-line errors.
 */
class SubsetRuleTest {
    private static List<String> streams(int n) {
        return IntStream.range(0, n).mapToObj(i -> "m" + i).toList();
    }

    private static SubsetRule read(String json, int n) {
        JsonObject evaluate = new JsonObject();
        if (json != null) {
            evaluate.add("subsets", JsonParser.parseString(json));
        }
        return SubsetRule.of(new JsonFields("p.json").namesOrLists(evaluate, "evaluate", "subsets"),
                "p.json: evaluate.subsets", streams(n));
    }

    private static int count(String json, int n) {
        List<List<String>> s = read(json, n).choose(streams(n)).subsets();
        assertEquals(s.size(), new HashSet<>(s).size(), "no subset twice");
        return s.size();
    }

    @Test
    void theDefaultIsEverySubsetUpToFourStreamsThenSinglesLeaveOneOutAndAll() {
        assertEquals(7, count(null, 3));
        assertEquals(15, count(null, 4));
        assertEquals(5 + 5 + 1, count(null, 5));
        assertEquals(9 + 9 + 1, count(null, 9));
        assertEquals(1, count(null, 1));
        assertEquals(3, count("\"default\"", 2));
        // the default for 3 streams is exactly the old ablation, in the same order
        assertEquals(Evaluator.subsets(streams(3)), read(null, 3).choose(streams(3)).subsets());
        assertEquals(Evaluator.subsets(streams(4)), read(null, 4).choose(streams(4)).subsets());
        SubsetRule.Chosen nine = read(null, 9).choose(streams(9));
        assertTrue(nine.rule().startsWith("default (9 streams, more than 4): singles + leave-one-out + all"), nine.rule());
        for (int i = 0; i < 9; i++) {
            assertTrue(nine.subsets().contains(List.of("m" + i)), "m" + i + " alone");
        }
        assertEquals(streams(9), nine.subsets().get(nine.subsets().size() - 1), "all streams last");
    }

    @Test
    void eachFamilyCountsAsItShould() {
        for (int n : new int[] {3, 4, 5, 9}) {
            assertEquals(n, count("\"singles\"", n));
            assertEquals(n, count("[\"leave-one-out\"]", n));
            assertEquals(n * (n - 1) / 2, count("\"pairs\"", n));
            assertEquals(1, count("\"all\"", n));
            assertEquals((1 << n) - 1, count("\"every\"", n));
        }
        // families overlap: with 3 streams the pairs are the leave-one-out subsets
        assertEquals(3 + 3 + 1, count("[\"singles\", \"pairs\", \"leave-one-out\", \"all\"]", 3));
        assertEquals(5 + 10 + 1, count("[\"singles\", \"pairs\", \"all\"]", 5));
        List<List<String>> s = read("[\"all\", \"singles\"]", 3).choose(streams(3)).subsets();
        assertEquals(List.of(List.of("m0"), List.of("m1"), List.of("m2"), streams(3)), s, "smallest first");
    }

    @Test
    void explicitSubsetsAreKeptInTheModalitiesOrderAndMixWithKeywords() {
        SubsetRule r = read("[[\"m2\", \"m0\"], [\"m0\", \"m2\"], \"singles\", [\"m1\"]]", 4);
        List<List<String>> s = r.choose(streams(4)).subsets();
        assertEquals(List.of(List.of("m0"), List.of("m1"), List.of("m2"), List.of("m3"), List.of("m0", "m2")), s);
        assertTrue(r.choose(streams(4)).rule().contains("3 named subset(s)"), r.choose(streams(4)).rule());
        // a modality the run left out drops the subsets naming it; nothing left falls back to each stream alone
        SubsetRule only = read("[[\"m0\", \"m3\"], [\"m3\"]]", 4);
        SubsetRule.Chosen without = only.choose(List.of("m0", "m1", "m2"));
        assertEquals(List.of(List.of("m0"), List.of("m1"), List.of("m2")), without.subsets());
        assertTrue(without.rule().contains("2 dropped"), without.rule());
    }

    @Test
    void badSettingsAreOneLineNamingTheFieldAndTheName() {
        String unknown = assertThrows(InvalidInputException.class, () -> read("[[\"m0\", \"caption\"]]", 3)).getMessage();
        assertEquals("p.json: evaluate.subsets[0]: unknown modality 'caption' (modalities: m0, m1, m2)", unknown);
        String keyword = assertThrows(InvalidInputException.class, () -> read("\"triples\"", 3)).getMessage();
        assertTrue(keyword.startsWith("p.json: evaluate.subsets: unknown keyword 'triples'"), keyword);
        String bare = assertThrows(InvalidInputException.class, () -> read("[\"singles\", \"m1\"]", 3)).getMessage();
        assertTrue(bare.startsWith("p.json: evaluate.subsets[1]: unknown keyword 'm1'") && bare.endsWith("[\"m1\"])"),
                bare);
        for (String bad : List.of("[]", "[[]]", "7", "{\"a\": 1}", "[[\"m0\", \"m0\"]]", "[[1]]", "[null]", "true")) {
            String m = assertThrows(InvalidInputException.class, () -> read(bad, 3), bad).getMessage();
            assertTrue(m.startsWith("p.json: evaluate.subsets") && !m.contains("\n"), bad + ": " + m);
        }
        String every = assertThrows(InvalidInputException.class, () -> read("\"every\"", 13)).getMessage();
        assertTrue(every.contains("8,191 subsets"), every);
    }
}
