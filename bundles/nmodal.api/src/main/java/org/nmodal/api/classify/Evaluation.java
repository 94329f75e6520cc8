package org.nmodal.api.classify;

/**
 * How well predictions match the truth.
 *
 * @param accuracy share of correct predictions
 * @param macroF1 F1 averaged over classes, each class counting the same (a class never predicted nor present is
 *     left out of the average)
 * @param confusion {@code confusion[truth][predicted]} counts
 */
public record Evaluation(double accuracy, double macroF1, int[][] confusion) {
    /**
     * Scores predictions.
     *
     * @param truth true class per item
     * @param predicted predicted class per item
     * @param classes number of classes
     */
    public static Evaluation of(int[] truth, int[] predicted, int classes) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " truths but " + predicted.length + " predictions");
        }
        int[][] c = new int[classes][classes];
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            c[truth[i]][predicted[i]]++;
            correct += truth[i] == predicted[i] ? 1 : 0;
        }
        double f1Sum = 0;
        int counted = 0;
        for (int k = 0; k < classes; k++) {
            int tp = c[k][k];
            int actual = 0;
            int guessed = 0;
            for (int j = 0; j < classes; j++) {
                actual += c[k][j];
                guessed += c[j][k];
            }
            if (actual == 0 && guessed == 0) {
                continue;
            }
            f1Sum += actual + guessed == 0 ? 0 : 2.0 * tp / (actual + guessed);
            counted++;
        }
        return new Evaluation(truth.length == 0 ? 0 : correct / (double) truth.length,
                counted == 0 ? 0 : f1Sum / counted, c);
    }
}
