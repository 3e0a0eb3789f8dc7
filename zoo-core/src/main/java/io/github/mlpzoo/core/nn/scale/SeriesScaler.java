package io.github.mlpzoo.core.nn.scale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.ops.Scalars;

/**
 * Per-window, per-channel scaling of a series before a forecaster and its inverse after it (RevIN-like, without
 * affine parameters), with the semantics of HF's time-series scalers ({@code modeling_patchtsmixer.py}:
 * {@code PatchTSMixerStdScaler}, {@code PatchTSMixerMeanScaler}, {@code PatchTSMixerNOPScaler}). On x of shape
 * {@code (B, T, C)} with observed mask m (1 = observed), sums over time (axis 1):
 * <pre>
 *   STD:   n = max(Σm, 1);  loc = Σ(m·x)/n;  scale = sqrt(Σ(m·(x - loc))² / n + 1e-5);  x' = (x - loc)/scale
 *   MEAN:  s = Σ|m·x| / max(Σm, 1), where Σm = 0: s = (Σ over batch of Σ|m·x|) / max(Σ over batch of Σm, 1);
 *          scale = max(s, 1e-10);  loc = 0;  x' = x / scale
 *   NONE:  loc = 0, scale = 1
 * </pre>
 * {@link #apply} returns {@code [x' (B, T, C), loc (B, 1, C), scale (B, 1, C)]}; a forecast y' maps back as
 * {@code y = y'·scale + loc}. The variance is the population variance; the 1e-5 (STD) and 1e-10 (MEAN) are HF's
 * {@code minimum_scale} defaults.
 */
public enum SeriesScaler {
    /** Standardize by the window's mean and standard deviation. */
    STD,
    /** Divide by the window's mean absolute value. */
    MEAN,
    /** Identity. */
    NONE;

    /** HF's {@code minimum_scale} of the std scaler (added to the variance). */
    public static final float STD_MIN_VARIANCE = 1e-5f;
    /** HF's {@code minimum_scale} of the mean scaler (lower bound of the scale). */
    public static final float MEAN_MIN_SCALE = 1e-10f;

    /** Scales a fully observed {@code x} of shape (B, T, C). */
    public NDList apply(NDArray x) {
        return apply(x, null);
    }

    /**
     * Scales {@code x} (B, T, C) using only the steps where {@code observed} (same shape, 1/0, or null = all) is 1.
     */
    public NDList apply(NDArray x, NDArray observed) {
        if (x.getShape().dimension() != 3) {
            throw new IllegalArgumentException("SeriesScaler expects x of shape (B, T, C); got " + x.getShape());
        }
        if (observed != null && !observed.getShape().equals(x.getShape())) {
            throw new IllegalArgumentException("SeriesScaler expects the observed mask to have x's shape "
                    + x.getShape() + "; got " + observed.getShape());
        }
        switch (this) {
            case STD: {
                NDArray loc;
                NDArray var;
                if (observed == null) {
                    loc = x.mean(new int[] {1}, true);
                    var = x.sub(loc).square().mean(new int[] {1}, true);
                } else {
                    NDArray m = observed.toType(x.getDataType(), false);
                    NDArray n = m.sum(new int[] {1}, true).maximum(1f);
                    loc = x.mul(m).sum(new int[] {1}, true).div(n);
                    var = x.sub(loc).mul(m).square().sum(new int[] {1}, true).div(n);
                }
                NDArray scale = var.add(STD_MIN_VARIANCE).sqrt();
                return new NDList(x.sub(loc).div(scale), loc, scale);
            }
            case MEAN: {
                NDArray m = observed == null ? x.onesLike() : observed.toType(x.getDataType(), false);
                NDArray tsSum = x.mul(m).abs().sum(new int[] {1}, true);        // (B, 1, C)
                NDArray numObserved = m.sum(new int[] {1}, true);               // (B, 1, C)
                NDArray scale = tsSum.div(numObserved.maximum(1f));
                NDArray fallback = tsSum.sum(new int[] {0}, true).div(numObserved.sum(new int[] {0}, true).maximum(1f));
                scale = NDArrays.where(numObserved.gt(0f), scale, fallback.broadcast(scale.getShape()));
                scale = Scalars.maximum(scale, MEAN_MIN_SCALE);
                return new NDList(x.div(scale), scale.zerosLike(), scale);
            }
            default: {
                long b = x.getShape().get(0);
                long c = x.getShape().get(2);
                return new NDList(x, x.getManager().zeros(new Shape(b, 1, c)),
                        x.getManager().ones(new Shape(b, 1, c)));
            }
        }
    }
}
