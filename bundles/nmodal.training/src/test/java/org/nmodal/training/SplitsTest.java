package org.nmodal.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SplitsTest {
    @Test
    void everyPostIsTestedOnceAndDevTestAndTrainNeverOverlap() {
        Random r = new Random(1);
        String[] fold = new String[503];
        for (int i = 0; i < fold.length; i++) {
            fold[i] = i % 50 == 7 ? null : String.valueOf(r.nextInt(5)); // some posts take no part
        }
        List<Splits.Fold> folds = Splits.crossValidation(fold);
        assertEquals(5, folds.size());
        int[] tested = new int[fold.length];
        for (Splits.Fold f : folds) {
            assertEquals(String.valueOf(f.index()), f.value(), "numeric values in numeric order");
            Set<Integer> train = set(f.train());
            Set<Integer> dev = set(f.dev());
            Set<Integer> test = set(f.test());
            assertFalse(dev.isEmpty() || test.isEmpty() || train.isEmpty());
            assertTrue(disjoint(train, dev) && disjoint(train, test) && disjoint(dev, test), "fold " + f.value());
            // dev is the next fold, cyclically, and never the test fold
            Splits.Fold next = folds.get((f.index() + 1) % folds.size());
            assertEquals(set(next.test()), dev);
            assertEquals(fold.length - fold.length / 50 - (fold.length % 50 > 7 ? 1 : 0),
                    train.size() + dev.size() + test.size(), "every post with a fold is in one part");
            for (int i : f.test()) {
                tested[i]++;
                assertEquals(f.value(), fold[i]);
            }
            for (int i : f.train()) {
                assertTrue(!fold[i].equals(f.value()) && !fold[i].equals(next.value()));
            }
        }
        for (int i = 0; i < fold.length; i++) {
            assertEquals(fold[i] == null ? 0 : 1, tested[i], "post " + i);
        }
    }

    @Test
    void numericFoldsSortAsNumbersAndNamesAsText() {
        assertEquals(List.of("2", "10", "11"), Splits.crossValidation(new String[] {"10", "2", "11", "2"}).stream()
                .map(Splits.Fold::value).toList());
        assertEquals(List.of("a", "b", "c"), Splits.crossValidation(new String[] {"c", "a", "b"}).stream()
                .map(Splits.Fold::value).toList());
    }

    @Test
    void fewerThanThreeFoldsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Splits.crossValidation(new String[] {"0", "1", "1", null}));
        assertTrue(e.getMessage().contains("at least 3 folds"), e.getMessage());
    }

    private static Set<Integer> set(int[] rows) {
        return Arrays.stream(rows).boxed().collect(Collectors.toCollection(HashSet::new));
    }

    private static boolean disjoint(Set<Integer> a, Set<Integer> b) {
        return a.stream().noneMatch(b::contains);
    }
}
