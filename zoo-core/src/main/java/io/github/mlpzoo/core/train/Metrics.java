package io.github.mlpzoo.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.util.Arrays;

/**
 * Evaluation metrics, computed in double precision on the host, as scikit-learn computes them.
 *
 * <p>{@code p} are predictions (or scores, or probabilities), {@code y} the targets, both of length {@code N >= 1}:
 * <ul>
 *   <li>{@link #mse}: {@code sum((p - y)^2) / N}; {@link #rmse}: {@code sqrt(mse)}; {@link #mae}:
 *       {@code sum(|p - y|) / N} ({@code sklearn.metrics.mean_squared_error}, {@code mean_absolute_error}).</li>
 *   <li>{@link #accuracy}: the share of rows whose predicted class equals the label
 *       ({@code accuracy_score}); from logits the predicted class is the arg-max of the last axis.</li>
 *   <li>{@link #auc}: ROC AUC for labels in {0, 1}, as the Mann-Whitney statistic
 *       {@code (R+ - n+(n+ + 1)/2) / (n+ n-)}, where {@code R+} sums the ranks (1-based, ascending score) of the
 *       positives and tied scores share their average rank; equals {@code roc_auc_score}, which counts a tied
 *       positive-negative pair as one half.</li>
 *   <li>{@link #logloss}: {@code -sum(y log q + (1 - y) log(1 - q)) / N} with {@code q = clip(p, eps, 1 - eps)},
 *       {@code eps} = the float64 machine epsilon 2.22e-16 ({@code log_loss}, scikit-learn >= 1.3 on float64
 *       input).</li>
 * </ul>
 * The {@link NDArray} overloads copy the arrays to the host (any shape, same element count).
 */
public final class Metrics {

    /** The clip of {@link #logloss}: {@code np.finfo(np.float64).eps}. */
    public static final double LOGLOSS_EPS = Math.ulp(1.0);

    private Metrics() {}

    /** Mean squared error. */
    public static double mse(float[] p, float[] y) {
        check(p, y);
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            double d = (double) p[i] - y[i];
            s += d * d;
        }
        return s / p.length;
    }

    /** Root mean squared error. */
    public static double rmse(float[] p, float[] y) {
        return Math.sqrt(mse(p, y));
    }

    /** Mean absolute error. */
    public static double mae(float[] p, float[] y) {
        check(p, y);
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += Math.abs((double) p[i] - y[i]);
        }
        return s / p.length;
    }

    /** Share of equal entries of predicted classes {@code pred} and labels {@code y}. */
    public static double accuracy(int[] pred, int[] y) {
        if (pred.length != y.length || pred.length == 0) {
            throw new IllegalArgumentException("accuracy needs two non-empty arrays of one length; got "
                    + pred.length + " and " + y.length);
        }
        int hits = 0;
        for (int i = 0; i < pred.length; i++) {
            if (pred[i] == y[i]) {
                hits++;
            }
        }
        return (double) hits / pred.length;
    }

    /** ROC AUC of {@code scores} against labels {@code y} in {0, 1}; ties take the average rank. */
    public static double auc(float[] scores, float[] y) {
        check(scores, y);
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            if (y[i] != 0 && y[i] != 1) {
                throw new IllegalArgumentException("auc needs labels 0 or 1; got " + y[i] + " at index " + i);
            }
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        long pos = 0;
        for (int start = 0; start < n; ) {
            int end = start;
            while (end + 1 < n && Float.compare(scores[order[end + 1]], scores[order[start]]) == 0) {
                end++;
            }
            double avgRank = (start + end) / 2.0 + 1; // ranks start+1 .. end+1
            for (int k = start; k <= end; k++) {
                if (y[order[k]] == 1) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            start = end + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            throw new IllegalArgumentException(
                    "auc is undefined with one class only; got " + pos + " positives and " + neg + " negatives");
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** Binary log loss of probabilities {@code p} against labels {@code y} in [0, 1], clipped at {@link #LOGLOSS_EPS}. */
    public static double logloss(float[] p, float[] y) {
        check(p, y);
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            if (!(y[i] >= 0 && y[i] <= 1)) {
                throw new IllegalArgumentException("logloss needs labels in [0, 1]; got " + y[i] + " at index " + i);
            }
            double q = Math.min(Math.max(p[i], LOGLOSS_EPS), 1 - LOGLOSS_EPS);
            s -= y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
        }
        return s / p.length;
    }

    /** {@link #mse(float[], float[])} of two arrays with one element count. */
    public static double mse(NDArray p, NDArray y) {
        return mse(host(p), host(y));
    }

    /** {@link #rmse(float[], float[])} of two arrays with one element count. */
    public static double rmse(NDArray p, NDArray y) {
        return rmse(host(p), host(y));
    }

    /** {@link #mae(float[], float[])} of two arrays with one element count. */
    public static double mae(NDArray p, NDArray y) {
        return mae(host(p), host(y));
    }

    /** {@link #auc(float[], float[])} of scores and 0/1 labels with one element count. */
    public static double auc(NDArray scores, NDArray y) {
        return auc(host(scores), host(y));
    }

    /** {@link #logloss(float[], float[])} of probabilities and labels with one element count. */
    public static double logloss(NDArray p, NDArray y) {
        return logloss(host(p), host(y));
    }

    /** Accuracy of {@code logits} (N, C) (arg-max over C) against integer class labels of N elements. */
    public static double accuracy(NDArray logits, NDArray labels) {
        if (logits.getShape().dimension() != 2 || logits.getShape().get(0) != labels.size()) {
            throw new IllegalArgumentException("accuracy expects logits (N, C) and N labels; got "
                    + logits.getShape() + " and " + labels.getShape());
        }
        int[] pred;
        try (NDArray arg = logits.argMax(1)) {
            pred = ints(arg);
        }
        int[] y = ints(labels);
        return accuracy(pred, y);
    }

    private static float[] host(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, false)) {
            return f.toFloatArray();
        }
    }

    private static int[] ints(NDArray a) {
        switch (a.getDataType()) {
            case INT32:
                return a.toIntArray();
            case INT64:
                return Arrays.stream(a.toLongArray()).mapToInt(Math::toIntExact).toArray();
            default:
                try (NDArray i = a.toType(DataType.INT32, true)) {
                    return i.toIntArray();
                }
        }
    }

    private static void check(float[] p, float[] y) {
        if (p.length != y.length || p.length == 0) {
            throw new IllegalArgumentException(
                    "metric needs two non-empty arrays of one length; got " + p.length + " and " + y.length);
        }
    }
}
