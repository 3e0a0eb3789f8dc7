package io.github.mlpzoo.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Global gradient-norm clipping, {@code torch.nn.utils.clip_grad_norm_} semantics, as a training listener that
 * runs between backward and the optimizer step ({@code onTrainingBatch}).
 *
 * <pre>
 *   n = sqrt(sum over all gradients g of sum(g^2))        (the L2 norm of all gradients as one vector)
 *   if max / (n + 1e-6) &lt; 1:  every g *= max / (n + 1e-6)   (in place)
 * </pre>
 * This scales negative and positive gradients alike, unlike DJL's {@code Optimizer.optClipGrad}, which on PyTorch
 * only clamps from above ({@code grad.clamp_max_(c)}, see {@code reference/djl.md} T5). Cost: one norm per
 * gradient, one stack and one norm, one scalar read, and one in-place multiply per gradient when clipping.
 *
 * <p>It clips the gradients of the model's own parameter arrays, i.e. single-device training (what {@link Fit}
 * does).
 */
public final class GradNormClipping extends TrainingListenerAdapter {

    /** The epsilon torch adds to the norm before dividing ({@code clip_grad_norm_}). */
    static final double EPS = 1e-6;

    private static final Logger LOG = LoggerFactory.getLogger(GradNormClipping.class);

    private final double maxNorm;
    private double lastNorm = Double.NaN;
    private boolean warned;

    /** Clips to global norm {@code maxNorm} (finite, {@code > 0}). */
    public GradNormClipping(double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("maxNorm must be finite and > 0; got " + maxNorm);
        }
        this.maxNorm = maxNorm;
    }

    /** The global gradient norm seen at the last batch, before clipping; NaN before the first batch. */
    public double lastNorm() {
        return lastNorm;
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        List<NDArray> grads = new ArrayList<>();
        try {
            for (Parameter p : trainer.getModel().getBlock().getParameters().values()) {
                if (p.requiresGradient() && p.isInitialized()) {
                    grads.add(p.getArray().getGradient());
                }
            }
            lastNorm = clip(grads, maxNorm);
            if (!Double.isFinite(lastNorm) && !warned) {
                warned = true; // once: every later step of a diverged run would repeat it
                // Infinity with finite gradients (their squares overflow) scales them to 0; NaN reaches the step
                LOG.warn("gradient norm is not finite ({}): {}", lastNorm, Fit.diagnose(trainer, batchData.getBatch()));
            }
        } finally {
            // getGradient() returns a new handle on the shared gradient storage; release the handles only
            grads.forEach(NDArray::close);
        }
    }

    /**
     * Scales {@code grads} in place so that their global L2 norm is at most {@code maxNorm} and returns the norm
     * before scaling (torch's {@code clip_grad_norm_} return value). NaN or infinite norms are returned without
     * scaling, as torch does with {@code error_if_nonfinite=False} (the step then propagates them).
     */
    public static double clip(List<NDArray> grads, double maxNorm) {
        if (grads.isEmpty()) {
            return 0;
        }
        double norm;
        NDList norms = new NDList(grads.size());
        try {
            for (NDArray g : grads) {
                norms.add(g.norm());
            }
            try (NDArray stacked = NDArrays.stack(norms); NDArray total = stacked.norm()) {
                norm = total.getDataType() == DataType.FLOAT64 ? total.getDouble() : total.getFloat();
            }
        } finally {
            norms.close();
        }
        double coef = maxNorm / (norm + EPS);
        if (coef < 1) {
            for (NDArray g : grads) {
                g.muli(coef);
            }
        }
        return norm;
    }
}
