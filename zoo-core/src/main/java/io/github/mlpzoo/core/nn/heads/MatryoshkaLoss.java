package io.github.mlpzoo.core.nn.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;

import io.github.mlpzoo.core.ops.Scalars;

import java.util.Arrays;

/**
 * The Matryoshka loss (official {@code MRL.py}, {@code Matryoshka_CE_Loss}): the <em>sum</em> over the nested
 * granularities of {@code c_i · CE(logits_i, y)}, with c_i = 1 unless given. Predictions: the g outputs of a
 * {@link MatryoshkaHead}; labels: one array of class indices {@code (B)}. {@link #MatryoshkaLoss(Loss, float[])}
 * sums another per-granularity loss instead of the cross-entropy (e.g. a label-smoothed one).
 */
public final class MatryoshkaLoss extends Loss {

    private final float[] weights;
    private final Loss ce;

    /** Equal weights 1 (the official default). */
    public MatryoshkaLoss() {
        this(null);
    }

    /** Relative importances c_i, one per granularity ({@code null}: all 1). */
    public MatryoshkaLoss(float[] weights) {
        this(new SoftmaxCrossEntropyLoss("ce"), weights);
    }

    /**
     * The sum of {@code c_i · base(logits_i, y)}: {@code base} sees one granularity's logits {@code (B, C)} at a time.
     *
     * @param weights relative importances c_i ({@code null}: all 1)
     */
    public MatryoshkaLoss(Loss base, float[] weights) {
        super("MatryoshkaLoss");
        if (base == null) {
            throw new IllegalArgumentException("MatryoshkaLoss needs a base loss; got null");
        }
        this.ce = base;
        this.weights = weights == null ? null : weights.clone();
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (weights != null && weights.length != predictions.size()) {
            throw new IllegalArgumentException("MatryoshkaLoss has " + weights.length + " weights "
                    + Arrays.toString(weights) + " for " + predictions.size() + " granularities");
        }
        NDArray total = null;
        for (int i = 0; i < predictions.size(); i++) {
            NDArray l = ce.evaluate(labels, new NDList(predictions.get(i)));
            if (weights != null) {
                l = Scalars.mul(l, weights[i]);
            }
            total = total == null ? l : total.add(l);
        }
        return total;
    }
}
