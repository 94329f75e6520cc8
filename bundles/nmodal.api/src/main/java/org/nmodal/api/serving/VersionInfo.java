package org.nmodal.api.serving;

import java.util.List;
import java.util.Map;

/**
 * One model version of a served pipeline.
 *
 * @param number its number (folder {@code v<number>})
 * @param parent the version it was bound onto, 0 for none
 * @param modalities its modalities, in order
 * @param testAccuracy test accuracy per task
 * @param origin how it came to be ("trained", "bound audio (audio-melstats)")
 * @param answers posts answered with it so far
 * @param summary one line: number, modalities, accuracies, origin
 */
public record VersionInfo(int number, int parent, List<String> modalities, Map<String, Double> testAccuracy,
        String origin, long answers, String summary) {
    /** Copies the collections. */
    public VersionInfo {
        modalities = List.copyOf(modalities);
        testAccuracy = Map.copyOf(testAccuracy);
    }
}
