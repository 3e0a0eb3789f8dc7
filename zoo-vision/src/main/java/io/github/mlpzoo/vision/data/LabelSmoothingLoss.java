package io.github.mlpzoo.vision.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

import io.github.mlpzoo.core.ops.Scalars;

/**
 * Cross-entropy with label smoothing (Szegedy et al., CVPR 2016, §7; as PyTorch's
 * {@code F.cross_entropy(logits, y, label_smoothing=ε)}): the target puts {@code 1 - ε + ε/K} on the true class and
 * {@code ε/K} on every other, so
 * <pre>
 *   loss = mean_b [ (1 - ε) · (-log p_b[y_b]) + ε · mean_k(-log p_b[k]) ]
 * </pre>
 * Labels {@code (B)} hold class indices (any numeric type), or labels {@code (B, K)} hold soft targets t (rows summing
 * to 1, as mixup makes them; {@link AugmentedImages}), which replace the one-hot: {@code -log p_b[y_b]} becomes
 * {@code -Σ_k t_bk · log p_b[k]} (timm's {@code SoftTargetCrossEntropy} of the smoothed, mixed targets). Predictions
 * {@code (B, K)} are logits.
 */
final class LabelSmoothingLoss extends Loss {

    private final float smoothing;

    LabelSmoothingLoss(float smoothing) {
        super("label_smoothing_ce");
        if (!(smoothing >= 0f && smoothing < 1f)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1); got " + smoothing);
        }
        this.smoothing = smoothing;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow();
        long classes = logits.getShape().get(logits.getShape().dimension() - 1);
        NDArray logp = logits.logSoftmax(-1); // (B, K)
        NDArray y = labels.singletonOrThrow();
        NDArray target; // (B, K)
        if (y.getShape().dimension() == 2 && y.getShape().get(1) == classes) {
            target = y.toType(logp.getDataType(), false);
        } else if (y.getShape().dimension() == 1) {
            target = y.toType(DataType.INT32, false).oneHot((int) classes).toType(logp.getDataType(), false);
        } else {
            throw new IllegalArgumentException("labels must be (B) class indices or (B, " + classes
                    + ") soft targets; got " + y.getShape());
        }
        NDArray nll = logp.mul(target).sum(new int[] {-1}).neg(); // (B)
        NDArray uniform = logp.mean(new int[] {-1}).neg(); // (B)
        return Scalars.mul(nll, 1f - smoothing).add(Scalars.mul(uniform, smoothing)).mean();
    }
}
