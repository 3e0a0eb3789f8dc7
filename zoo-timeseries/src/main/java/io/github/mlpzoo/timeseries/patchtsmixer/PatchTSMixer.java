package io.github.mlpzoo.timeseries.patchtsmixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.zoo.Configs;

/**
 * PatchTSMixer for point forecasting: IBM's TSMixer (Ekambaram et al., <i>TSMixer: Lightweight MLP-Mixer Model for
 * Multivariate Time Series Forecasting</i>, KDD 2023) as Hugging Face ships it ({@code transformers},
 * {@code models/patchtsmixer/modeling_patchtsmixer.py}, {@code PatchTSMixerForPrediction} with {@code loss="mse"}).
 * Letters: B batch, T context length, C channels, N patches, P patch length, d d_model, H horizon.
 * <pre>
 *   x (B, T, C) → {@link PatchTSMixerModel}: scaler (loc, scale (B, 1, C)), Patchify (B, C, N, P),
 *     patcher Linear(P → d), [positions], L × MixerLayer ([channel mixer] → patch mixer → feature mixer) (B, C, N, d)
 *   → flatten (B, C, N·d) → Dropout(head_dropout) → Linear(N·d → H) (B, C, H) → transpose (B, H, C)
 *   → y = y'·scale + loc
 * </pre>
 * Optional, from the paper and not in HF ({@link PatchTSMixerConfig#hierarchical()},
 * {@link PatchTSMixerConfig#reconcileContext()}): the {@link HierarchicalReconciliation} head after the linear head
 * (the model then also outputs the patch aggregates (B, H/P, C), for {@link HierarchicalLoss}) and the
 * {@link CrossChannelReconciliation} head on the forecast, both before the inverse scaling.
 * The input must be fully observed (NaN is refused; HF's {@code observed_mask} is not taken), have exactly T steps
 * and C channels. PyTorch's default init everywhere ({@code post_init=False}). Parameter names are listed by
 * {@link PatchTSMixerKeyMap}.
 */
public final class PatchTSMixer extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    private final PatchTSMixerConfig config;
    private final PatchTSMixerModel model;
    private final Linear head;
    private final HierarchicalReconciliation hierarchical;
    private final CrossChannelReconciliation crossChannel;

    /** The forecasting model for {@code config}. */
    public PatchTSMixer(PatchTSMixerConfig config) {
        super(VERSION);
        this.config = config;
        model = addChildBlock("model", new PatchTSMixerModel(config, null));
        head = addChildBlock("head", TorchInit.apply(Linear.builder().setUnits(config.predictionLength()).build()));
        hierarchical = config.hierarchical() ? addChildBlock("hierarchical", new HierarchicalReconciliation(
                config.numPatches() * config.dModel(), config.predictionLength(), config.patchLength())) : null;
        crossChannel = config.reconcileContext() > 0 ? addChildBlock("crossChannel", new CrossChannelReconciliation(
                config.predictionLength(), config.channels(), config.reconcileContext())) : null;
    }

    /** This model's configuration. */
    public PatchTSMixerConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList encoded = model.forward(ps, inputs, training);                          // hidden, patches, loc, scale
        NDArray h = encoded.get(0);                                                    // (B, C, N, d)
        Shape s = h.getShape();
        h = h.reshape(s.get(0), s.get(1), s.get(2) * s.get(3));                       // (B, C, N·d)
        if (training && config.headDropout() > 0f) {
            h = Dropout.dropout(h, config.headDropout(), true).singletonOrThrow();
        }
        NDArray y = head.forward(ps, new NDList(h), training).singletonOrThrow();        // (B, C, H)
        NDArray aggregate = null;
        if (hierarchical != null) {
            NDList rec = hierarchical.forward(ps, new NDList(h, y), training);
            y = rec.get(0);
            aggregate = rec.get(1).swapAxes(1, 2);                                       // (B, H/P, C)
        }
        y = y.swapAxes(1, 2);                                                           // (B, H, C)
        if (crossChannel != null) {
            y = crossChannel.forward(ps, new NDList(y), training).singletonOrThrow();
        }
        NDArray loc = encoded.get(2);
        NDArray scale = encoded.get(3);
        NDArray forecast = y.mul(scale).add(loc);
        if (aggregate == null) {
            return new NDList(forecast);
        }
        // a sum of P scaled values maps back as sum·scale + P·loc
        return new NDList(forecast, aggregate.mul(scale).add(loc.mul(config.patchLength())));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        Shape forecast = new Shape(inputShapes[0].get(0), config.predictionLength(), config.channels());
        if (hierarchical == null) {
            return new Shape[] {forecast};
        }
        return new Shape[] {forecast, new Shape(inputShapes[0].get(0),
                config.predictionLength() / config.patchLength(), config.channels())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        check(in);
        long b = in.get(0);
        long n = config.numPatches();
        model.initialize(manager, dataType, in);
        Shape flat = new Shape(b, config.channels(), n * config.dModel());
        head.initialize(manager, dataType, flat);
        if (hierarchical != null) {
            hierarchical.initialize(manager, dataType, flat, new Shape(b, config.channels(), config.predictionLength()));
        }
        if (crossChannel != null) {
            crossChannel.initialize(manager, dataType, new Shape(b, config.predictionLength(), config.channels()));
        }
    }

    private void check(Shape s) {
        InputCheck.shape("PatchTSMixer", "past_values (B, T, C)", s, InputCheck.ANY, config.contextLength(),
                config.channels());
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "PatchTSMixer" + config;
    }
}
