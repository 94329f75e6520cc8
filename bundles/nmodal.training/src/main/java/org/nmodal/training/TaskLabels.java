package org.nmodal.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * One task's labels over the fitting and test posts: its classes (of both, sorted: a class seen only in testing can
 * never be predicted right, but it still counts), the labelled rows of each and their class indices.
 *
 * @param classes the classes, sorted
 * @param fitRows labelled fitting rows
 * @param yFit their class indices
 * @param testRows labelled test rows
 * @param yTest their class indices
 */
public record TaskLabels(List<String> classes, int[] fitRows, int[] yFit, int[] testRows, int[] yTest) {
    /** The task's labels ({@code labels[i]} null for an unlabelled post) over the given fitting and test rows. */
    public static TaskLabels of(String[] labels, int[] fit, int[] test) {
        TreeSet<String> all = new TreeSet<>();
        for (int[] rows : List.of(fit, test)) {
            for (int i : rows) {
                if (labels[i] != null) {
                    all.add(labels[i]);
                }
            }
        }
        List<String> classes = List.copyOf(new ArrayList<>(all));
        int[] fitRows = labelled(labels, fit);
        int[] testRows = labelled(labels, test);
        return new TaskLabels(classes, fitRows, index(labels, fitRows, classes), testRows,
                index(labels, testRows, classes));
    }

    private static int[] labelled(String[] labels, int[] rows) {
        return Arrays.stream(rows).filter(i -> labels[i] != null).toArray();
    }

    private static int[] index(String[] labels, int[] rows, List<String> classes) {
        int[] y = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            y[k] = classes.indexOf(labels[rows[k]]);
        }
        return y;
    }
}
