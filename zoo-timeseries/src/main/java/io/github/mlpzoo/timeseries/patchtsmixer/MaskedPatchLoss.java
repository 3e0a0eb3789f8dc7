package io.github.mlpzoo.timeseries.patchtsmixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * The masked-patch pretraining loss of HF's {@code PatchTSMixerForPretraining}, on its outputs
 * {@code (x̂, patches, mask)} (the labels are not used: the target is the input):
 * <pre>
 *   masked:  Σ_{b,c,n} mean_p (x̂ - x)² · mask  /  (Σ mask + 1e-10)
 *   all:     mean (x̂ - x)²
 * </pre>
 */
public final class MaskedPatchLoss extends Loss {

    private final boolean masked;

    /** The loss over masked patches only ({@code masked}) or over all patches. */
    public MaskedPatchLoss(boolean masked) {
        super(masked ? "MaskedPatchLoss" : "PatchLoss");
        this.masked = masked;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (predictions.size() < 3) {
            throw new IllegalArgumentException("MaskedPatchLoss expects the pretraining outputs (reconstruction, "
                    + "patches, mask); got " + predictions.size() + " arrays");
        }
        NDArray error = predictions.get(0).sub(predictions.get(1)).square();
        if (!masked) {
            return error.mean();
        }
        NDArray mask = predictions.get(2);
        return error.mean(new int[] {-1}).mul(mask).sum().div(mask.sum().add(1e-10f));
    }
}
