package io.github.mlpzoo.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Mean squared error, {@code mean((prediction - label)²)} over every element, the label reshaped to the prediction's
 * shape: PyTorch's {@code F.mse_loss}. Use it instead of DJL's {@code L2Loss}, which multiplies by its weight through
 * {@code NDArray.mul(Number)} and so reads a freed scalar in the backward after a garbage collection (see
 * {@link io.github.mlpzoo.core.ops.Scalars}); DJL's default weight is also ½, not PyTorch's 1.
 */
public final class MseLoss extends Loss {

    /** An MSE loss named {@code name}. */
    public MseLoss(String name) {
        super(name);
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray p = predictions.singletonOrThrow();
        NDArray y = labels.singletonOrThrow();
        if (y.size() != p.size()) {
            throw new IllegalArgumentException(getName() + ": " + y.size() + " labels for " + p.size()
                    + " predictions " + p.getShape());
        }
        NDArray diff = p.sub(y.reshape(p.getShape()));
        return diff.mul(diff).mean();
    }
}
