package org.nmodal.recommend;

import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;

/**
 * Several {@link TagMapping}s fitted alike from consecutive seeds ({@code seed}, {@code seed + 1}, ...), whose tag
 * scores are averaged: each member ranks in its own space (tuned tag vectors differ per member), so what is averaged
 * is every tag's cosine to the member's mapped point, not the points. One member is the single mapping itself. The
 * members differ only by their initial weights, batch order and dropout masks; their mean smooths the ranking of
 * the many tags that a single fit places at nearly equal distances.
 */
public final class MappingEnsemble {
    private final List<TagMapping> members;
    private final List<TagSpace> spaces;

    private MappingEnsemble(List<TagMapping> members, List<TagSpace> spaces) {
        this.members = List.copyOf(members);
        this.spaces = List.copyOf(spaces);
    }

    /**
     * Fits {@code size} mappings (see {@link TagMapping#fit(Engine, float[][], List, TagSpace, int[], int[],
     * TagMapping.Settings)}), member {@code i} with seed {@code s.seed() + i}.
     */
    public static MappingEnsemble fit(Engine engine, float[][] x, List<int[]> known, TagSpace space, int[] train,
            int[] dev, TagMapping.Settings s, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("an ensemble needs at least one mapping, got " + size);
        }
        List<TagMapping> members = new ArrayList<>();
        List<TagSpace> spaces = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            TagMapping m = TagMapping.fit(engine, x, known, space, train, dev, s.withSeed(s.seed() + i));
            members.add(m);
            spaces.add(m.space(space));
        }
        return new MappingEnsemble(members, spaces);
    }

    /** Every tag's score for each post: the mean over members of its cosine to the mapped point (null row: null). */
    public double[][] scores(float[][] x) {
        double[][] out = new double[x.length][];
        for (int m = 0; m < members.size(); m++) {
            float[][] mapped = members.get(m).map(x);
            for (int i = 0; i < x.length; i++) {
                if (mapped[i] == null) {
                    continue;
                }
                double[] s = spaces.get(m).scores(mapped[i]);
                if (out[i] == null) {
                    out[i] = s;
                } else {
                    for (int t = 0; t < s.length; t++) {
                        out[i][t] += s[t];
                    }
                }
            }
        }
        for (double[] row : out) {
            for (int t = 0; row != null && t < row.length; t++) {
                row[t] /= members.size();
            }
        }
        return out;
    }

    /** The members, in seed order. */
    public List<TagMapping> members() {
        return members;
    }

    /** The space member {@code i} ranks in. */
    public TagSpace space(int i) {
        return spaces.get(i);
    }
}
