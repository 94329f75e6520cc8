package org.nmodal.recommend;

import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;

/**
 * Several {@link TagMapping}s fitted alike from consecutive seeds ({@code seed}, {@code seed + 1}, ...), whose tag
 * scores are averaged: each member ranks in its own space (tuned tag vectors differ per member), so what is averaged
 * is every tag's cosine to the member's mapped point, not the points. One member is the single mapping itself. The
 * members differ only by their initial weights, batch order and dropout masks; their mean smooths the ranking of
 * the many tags that a single fit places at nearly equal distances. A member whose dev loss is more than
 * {@link #STALLED} times the best member's is left out: a fit that an early gradient spike froze (rare, but it
 * happens on MVSA) ranks close to popularity and would pull every post's scores toward it.
 */
public final class MappingEnsemble {
    /** A member's dev loss above this factor of the best member's marks a stalled fit. */
    public static final double STALLED = 1.25;
    private final List<TagMapping> members;
    private final List<TagSpace> spaces;
    private final List<Double> left;

    private MappingEnsemble(List<TagMapping> members, List<TagSpace> spaces, List<Double> left) {
        this.members = List.copyOf(members);
        this.spaces = List.copyOf(spaces);
        this.left = List.copyOf(left);
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
        List<TagMapping> fitted = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            fitted.add(TagMapping.fit(engine, x, known, space, train, dev, s.withSeed(s.seed() + i)));
        }
        boolean[] keep = kept(fitted.stream().mapToDouble(TagMapping::devLoss).toArray());
        List<TagMapping> members = new ArrayList<>();
        List<TagSpace> spaces = new ArrayList<>();
        List<Double> left = new ArrayList<>();
        for (int i = 0; i < fitted.size(); i++) {
            if (keep[i]) {
                members.add(fitted.get(i));
                spaces.add(fitted.get(i).space(space));
            } else {
                left.add(fitted.get(i).devLoss());
            }
        }
        return new MappingEnsemble(members, spaces, left);
    }

    /** Which members to keep by their dev losses: all but those above {@link #STALLED} times the lowest (NaN: kept). */
    static boolean[] kept(double[] devLosses) {
        double best = java.util.Arrays.stream(devLosses).filter(d -> !Double.isNaN(d)).min().orElse(Double.NaN);
        boolean[] keep = new boolean[devLosses.length];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = !(devLosses[i] > STALLED * best);
        }
        return keep;
    }

    /** One line for a run's log: the members' dev losses and any left out as stalled. */
    public String describe() {
        StringBuilder sb = new StringBuilder(members.size() + " mapping(s), dev loss per tag");
        members.forEach(m -> sb.append(String.format(java.util.Locale.ROOT, " %.3f", m.devLoss())));
        if (!left.isEmpty()) {
            sb.append("; left out as stalled (dev loss over ").append(STALLED).append(" x the best):");
            left.forEach(d -> sb.append(String.format(java.util.Locale.ROOT, " %.3f", d)));
        }
        return sb.toString();
    }

    /** Every tag's score for each post: the mean over members of its cosine to the mapped point (null row: null). */
    public double[][] scores(float[][] x) {
        List<float[][]> mapped = members.stream().map(m -> m.map(x)).toList();
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            if (x[i] != null) {
                int post = i;
                List<double[]> each = java.util.stream.IntStream.range(0, members.size())
                        .mapToObj(m -> spaces.get(m).scores(mapped.get(m)[post])).toList();
                out[i] = Vectors.mean(each, each.get(0).length);
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
