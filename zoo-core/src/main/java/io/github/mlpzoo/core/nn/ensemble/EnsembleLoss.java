package io.github.mlpzoo.core.nn.ensemble;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;

/**
 * The training loss of an ensemble: the <i>mean of the k member losses</i>, not the loss of the mean prediction
 * (TabM paper §3 and {@code yandex-research/tabm} README: "the mean loss must be optimized"; the official loop
 * flattens predictions to {@code (B·k, …)} and repeats the labels k times).
 * <ul>
 *   <li>{@link #mse}: predictions {@code (B, k, d)}, labels {@code (B, d)} or {@code (B,)} (d = 1);
 *       {@code mean over B, k, d of (p - y)²}.</li>
 *   <li>{@link #crossEntropy}: logits {@code (B, k, C)}, integer class labels {@code (B,)} or {@code (B, 1)};
 *       {@code mean over B, k of −log softmax(p)[y]}.</li>
 * </ul>
 * When members train on their own rows (TabM's {@code share_training_batches=False}), the labels hold one row per
 * member instead, {@code B·k} of them in the order {@code i·k + j} (MSE: {@code (B·k, d)}; cross-entropy:
 * {@code (B·k,)}), and each member's loss uses its own.
 * With k = 1 these are the ordinary MSE and cross-entropy. A labels/predictions mismatch in B or d is an
 * {@link IllegalArgumentException}.
 */
public final class EnsembleLoss extends Loss {

    private final boolean classification;

    private EnsembleLoss(String name, boolean classification) {
        super(name);
        this.classification = classification;
    }

    /** Mean over members of the mean squared error. */
    public static EnsembleLoss mse() {
        return new EnsembleLoss("ensemble_mse", false);
    }

    /** Mean over members of the softmax cross-entropy. */
    public static EnsembleLoss crossEntropy() {
        return new EnsembleLoss("ensemble_cross_entropy", true);
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray p = predictions.singletonOrThrow();
        NDArray y = labels.singletonOrThrow();
        Shape ps = p.getShape();
        if (ps.dimension() != 3) {
            throw new IllegalArgumentException(getName() + " expects predictions (B, k, d); got " + ps);
        }
        long b = ps.get(0);
        long k = ps.get(1);
        long d = ps.get(2);
        if (classification) {
            if (y.size() != b && y.size() != b * k) {
                throw new IllegalArgumentException(getName() + " expects one class label per row, (" + b
                        + ",), or per row and member, (" + b * k + ",); got " + y.getShape());
            }
            long perRow = y.size() / b;
            NDArray oneHot = y.reshape(b, perRow).toType(ai.djl.ndarray.types.DataType.INT64, false)
                    .oneHot((int) d).toType(p.getDataType(), false); // (B, 1 or k, C)
            return p.logSoftmax(-1).mul(oneHot).sum(new int[] {2}).mean().neg();
        }
        if (y.size() != b * d && y.size() != b * k * d) {
            throw new IllegalArgumentException(getName() + " expects labels (" + b + ", " + d + "), or one row per "
                    + "member (" + b * k + ", " + d + "); got " + y.getShape());
        }
        NDArray diff = p.sub(y.reshape(b, y.size() / (b * d), d)); // (B, k, d)
        return diff.mul(diff).mean();
    }
}
