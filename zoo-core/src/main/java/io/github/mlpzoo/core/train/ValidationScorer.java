package io.github.mlpzoo.core.train;

import ai.djl.Model;

/**
 * Scores a model on held-out data after each epoch; {@link Fit} keeps the checkpoint with the best score.
 *
 * <p>The caller computes its metric its own way (e.g. RMSE in the original target units, or AUC). DJL attaches the
 * result of an op to the manager of its first input, so lend the validation inputs to a sub-manager while
 * scoring; otherwise every epoch's predictions stay in the model's manager until it closes:
 * <pre>{@code
 * ValidationScorer rmse = model -> {
 *     try (NDManager m = model.getNDManager().newSubManager()) {
 *         m.tempAttachAll(xVal);   // xVal returns to its own manager when m closes
 *         NDArray pred = model.getBlock().forward(new ParameterStore(m, false), new NDList(xVal), false)
 *                 .singletonOrThrow();
 *         return Metrics.rmse(pred.mul(yStd).add(yMean), yValRaw);
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ValidationScorer {

    /** The validation metric of {@code model} in its current state; must be finite. */
    double score(Model model);
}
