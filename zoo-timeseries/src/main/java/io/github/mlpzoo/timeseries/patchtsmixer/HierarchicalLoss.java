package io.github.mlpzoo.timeseries.patchtsmixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;

/**
 * The training loss of a forecaster, MSE, extended for {@link HierarchicalReconciliation}'s second output: for
 * a label y (B, H, C) and predictions [ŷ (B, H, C), ĥ (B, H/P, C)], with agg(·) the sum over each run of P steps,
 * <pre>
 *   L = MSE(ŷ, y) + MSE(ĥ, agg(y)) + MSE(agg(ŷ), ĥ)
 * </pre>
 * forecast error, aggregate error and hierarchy consistency, each weighted 1 (our reading of the paper). With a
 * single prediction it is the plain MSE.
 */
public final class HierarchicalLoss extends Loss {

    /** The loss, named {@code mse}. */
    public HierarchicalLoss() {
        super("mse");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray y = labels.singletonOrThrow();
        NDArray yHat = predictions.get(0);
        NDArray mse = yHat.sub(y).square().mean();
        if (predictions.size() == 1) {
            return mse;
        }
        NDArray h = predictions.get(1);
        long steps = y.getShape().get(1);
        long runs = h.getShape().get(1);
        if (runs < 1 || steps % runs != 0) {
            throw new IllegalArgumentException("HierarchicalLoss: the aggregate " + h.getShape()
                    + " does not divide the horizon of " + y.getShape());
        }
        NDArray aggY = aggregate(y, runs);
        NDArray aggYHat = aggregate(yHat, runs);
        return mse.add(h.sub(aggY).square().mean()).add(aggYHat.sub(h).square().mean());
    }

    /** Sums each run of H / runs steps: (B, H, C) → (B, runs, C). */
    static NDArray aggregate(NDArray x, long runs) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), runs, s.get(1) / runs, s.get(2)).sum(new int[] {2});
    }
}
