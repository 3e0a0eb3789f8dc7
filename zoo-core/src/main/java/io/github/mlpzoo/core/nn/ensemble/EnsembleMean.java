package io.github.mlpzoo.core.nn.ensemble;

import ai.djl.ndarray.NDArray;

/**
 * How an ensemble's k member outputs become one prediction, the way the TabM paper evaluates
 * ({@code paper/bin/model.py}, {@code evaluate}; README "probabilities should usually be averaged, not logits"):
 * <ul>
 *   <li>regression: every member's prediction de-standardized ({@code p·std + mean}), then the mean over k;</li>
 *   <li>classification: softmax per member, then the mean of the probabilities over k.</li>
 * </ul>
 * Shapes: {@code (B, k, d) → (B, d)}.
 */
public final class EnsembleMean {

    private EnsembleMean() {}

    /** Mean over members of {@code p·std + mean}; {@code (B, k, d) → (B, d)}. */
    public static NDArray regression(NDArray predictions, float mean, float std) {
        check(predictions);
        return predictions.mul(std).add(mean).mean(new int[] {1});
    }

    /** Mean over members of the softmax probabilities; {@code (B, k, C) → (B, C)}. */
    public static NDArray probabilities(NDArray logits) {
        check(logits);
        return logits.softmax(-1).mean(new int[] {1});
    }

    private static void check(NDArray x) {
        if (x.getShape().dimension() != 3) {
            throw new IllegalArgumentException("EnsembleMean expects member outputs (B, k, d); got " + x.getShape());
        }
    }
}
