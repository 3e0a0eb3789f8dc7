package io.github.mlpzoo.timeseries.patchtsmixer;

import java.util.Arrays;

/**
 * The configuration of {@link PatchTSMixerForTargets} (HF's classification and regression models), HF's names in
 * brackets.
 *
 * @param model the backbone's configuration ({@code predictionLength} and the reconciliation settings are not used)
 * @param numTargets outputs: classes or regression targets [num_targets]
 * @param headAggregation how the N patch embeddings are pooled before the projection [head_aggregation]
 * @param outputRange {@code {lo, hi}}: outputs squashed by {@code sigmoid(y)·(hi - lo) + lo}; empty: none
 *     [output_range]
 */
public record PatchTSMixerHeadConfig(PatchTSMixerConfig model, int numTargets, HeadAggregation headAggregation,
        float[] outputRange) {

    /** HF's {@code head_aggregation}. */
    public enum HeadAggregation {
        /** Maximum over patches ({@code "max_pool"}, HF's default). */
        MAX_POOL,
        /** Mean over patches ({@code "avg_pool"}). */
        AVG_POOL,
        /** The last patch ({@code "use_last"}). */
        USE_LAST,
        /** No pooling: all N·d features of every channel go to the projection ({@code None}). */
        NONE
    }

    public PatchTSMixerHeadConfig {
        if (model == null || headAggregation == null) {
            throw new IllegalArgumentException("model and headAggregation must be set; got " + model + ", "
                    + headAggregation);
        }
        if (model.reconcileContext() != 0 || model.hierarchical()) {
            throw new IllegalArgumentException("the reconciliation heads belong to the forecasting model; set "
                    + "reconcileContext=0 and hierarchical=false for a classification or regression head");
        }
        if (numTargets < 1) {
            throw new IllegalArgumentException("numTargets must be >= 1; got " + numTargets);
        }
        outputRange = outputRange == null ? new float[0] : outputRange.clone();
        if (outputRange.length != 0 && (outputRange.length != 2 || !(outputRange[0] < outputRange[1])
                || !Float.isFinite(outputRange[0]) || !Float.isFinite(outputRange[1]))) {
            throw new IllegalArgumentException("outputRange must be empty or two finite numbers lo < hi; got "
                    + Arrays.toString(outputRange));
        }
    }

    /** HF's defaults: the default backbone, 3 targets, max pooling, no output range. */
    public static PatchTSMixerHeadConfig hfDefault() {
        return new PatchTSMixerHeadConfig(PatchTSMixerConfig.hfDefault(), 3, HeadAggregation.MAX_POOL, new float[0]);
    }

    /** The projection's input width: C·d, or C·d·N without aggregation. */
    long projectionInputs() {
        long w = (long) model.channels() * model.dModel();
        return headAggregation == HeadAggregation.NONE ? w * model.numPatches() : w;
    }

    /** Trainable parameters: backbone, scaler-statistics injection (when scaling), projection. */
    public long parameterCount() {
        return model.encoderParameterCount()
                + (model.scaling() != io.github.mlpzoo.core.nn.scale.SeriesScaler.NONE
                        ? InjectScalerStatistics.parameterCount(model.dModel()) : 0)
                + projectionInputs() * numTargets + numTargets;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatchTSMixerHeadConfig c && c.model.equals(model) && c.numTargets == numTargets
                && c.headAggregation == headAggregation && Arrays.equals(c.outputRange, outputRange);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {model, numTargets, headAggregation, Arrays.hashCode(outputRange)});
    }

    @Override
    public String toString() {
        return "PatchTSMixerHeadConfig[" + model + ", numTargets=" + numTargets + ", headAggregation="
                + headAggregation + ", outputRange=" + Arrays.toString(outputRange) + "]";
    }
}
