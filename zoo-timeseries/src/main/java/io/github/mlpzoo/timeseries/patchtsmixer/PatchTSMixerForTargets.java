package io.github.mlpzoo.timeseries.patchtsmixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.nn.scale.SeriesScaler;
import io.github.mlpzoo.core.ops.Scalars;
import io.github.mlpzoo.core.zoo.Configs;

/**
 * PatchTSMixer for series classification or regression: HF's {@code PatchTSMixerForTimeSeriesClassification} and
 * {@code PatchTSMixerForRegression}, which are the same network ({@code PatchTSMixerModel} →
 * {@code InjectScalerStatistics4D} → {@code PatchTSMixerLinearHead}) and differ only in their loss (softmax cross
 * entropy on the logits, or MSE).
 * <pre>
 *   x (B, T, C) → {@link PatchTSMixerModel} → h (B, C, N, d), loc, scale
 *   → [{@link InjectScalerStatistics} when scaling is STD or MEAN] (B, C, N, d)
 *   → pool over N: max / mean / last (B, C·d), or none (B, C·d·N in HF's order: d outer, N inner)
 *   → Dropout(head_dropout) → Linear(→ numTargets) → [sigmoid(y)·(hi - lo) + lo] → (B, numTargets)
 * </pre>
 * Only HF's point output ({@code loss="mse"} / cross entropy) is built, not the distribution heads. Parameters: the
 * backbone {@code 01model}, {@code 02injectScale} (when scaling), then {@code projection}; key map {@link #keyMap}.
 */
public final class PatchTSMixerForTargets extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    private final PatchTSMixerHeadConfig config;
    private final PatchTSMixerModel model;
    private final InjectScalerStatistics injectScale;
    private final Linear projection;

    /** The model for {@code config}. */
    public PatchTSMixerForTargets(PatchTSMixerHeadConfig config) {
        super(VERSION);
        this.config = config;
        model = addChildBlock("model", new PatchTSMixerModel(config.model(), null));
        injectScale = config.model().scaling() == SeriesScaler.NONE ? null
                : addChildBlock("injectScale", new InjectScalerStatistics(config.model().dModel()));
        projection = addChildBlock("projection",
                TorchInit.apply(Linear.builder().setUnits(config.numTargets()).build()));
    }

    /** This model's configuration. */
    public PatchTSMixerHeadConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList encoded = model.forward(ps, inputs, training);                          // hidden, patches, loc, scale
        NDArray h = encoded.get(0);                                                    // (B, C, N, d)
        if (injectScale != null) {
            h = injectScale.forward(ps, new NDList(h, encoded.get(2), encoded.get(3)), training).singletonOrThrow();
        }
        long b = h.getShape().get(0);
        h = switch (config.headAggregation()) {
            case MAX_POOL -> h.max(new int[] {2});                                     // (B, C, d)
            case AVG_POOL -> h.mean(new int[] {2});
            case USE_LAST -> h.get(":, :, -1, :");
            case NONE -> h.swapAxes(2, 3);                                             // (B, C, d, N)
        };
        h = h.reshape(b, config.projectionInputs());
        if (training && config.model().headDropout() > 0f) {
            h = Dropout.dropout(h, config.model().headDropout(), true).singletonOrThrow();
        }
        NDArray y = projection.forward(ps, new NDList(h), training).singletonOrThrow();
        float[] range = config.outputRange();
        if (range.length == 2) {
            y = Scalars.mul(Activation.sigmoid(y), range[1] - range[0]).add(range[0]);
        }
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        model.getOutputShapes(inputShapes);
        return new Shape[] {new Shape(inputShapes[0].get(0), config.numTargets())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        model.initialize(manager, dataType, inputShapes);
        Shape hidden = model.getOutputShapes(inputShapes)[0];
        if (injectScale != null) {
            Shape stat = new Shape(hidden.get(0), 1, hidden.get(1));
            injectScale.initialize(manager, dataType, hidden, stat, stat);
        }
        projection.initialize(manager, dataType, new Shape(hidden.get(0), config.projectionInputs()));
    }

    /**
     * HF's state_dict names → ours: the backbone as {@link PatchTSMixerKeyMap}, {@code inject_scale.map_scale_*},
     * {@code inverse_trans_*} → {@code 02injectScale_*}, {@code head.projection.*} → {@code 0kprojection_*}.
     */
    public static io.github.mlpzoo.core.weights.KeyMap keyMap(PatchTSMixerHeadConfig config) {
        boolean inject = config.model().scaling() != SeriesScaler.NONE;
        return PatchTSMixerKeyMap.model(config.model())
                .rename("inject_scale\\.map_scale_expansion\\.(weight|bias)", "02injectScale_01mapScaleExpansion_{1}")
                .rename("inject_scale\\.map_scale_compression\\.(weight|bias)",
                        "02injectScale_02mapScaleCompression_{1}")
                .rename("inject_scale\\.inverse_trans_expansion\\.(weight|bias)",
                        "02injectScale_03inverseTransExpansion_{1}")
                .rename("inject_scale\\.inverse_trans_compression\\.(weight|bias)",
                        "02injectScale_04inverseTransCompression_{1}")
                .rename("head\\.projection\\.(weight|bias)", (inject ? "03" : "02") + "projection_{1}")
                .build();
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "PatchTSMixerForTargets" + config;
    }
}
