package io.github.mlpzoo.timeseries.patchtsmixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.nn.patch.PatchMasking;
import io.github.mlpzoo.core.nn.patch.Patchify;
import io.github.mlpzoo.core.zoo.Configs;

import java.util.ArrayList;
import java.util.List;

/**
 * The PatchTSMixer backbone that every head shares (HF {@code PatchTSMixerModel}: scaler, patching, optional masking,
 * encoder). Letters: B batch, T context, C channels, N patches, P patch length, d d_model.
 * <pre>
 *   x (B, T, C) → scaler: x', loc, scale (B, 1, C)
 *   → Patchify: patches (B, C, N, P) → [masking: patches with masked ones set to the mask value, mask (B, C, N)]
 *   → patcher Linear(P → d) → [+ positional encoding (N, d)] → L × MixerLayer → hidden (B, C, N, d)
 * </pre>
 * Output {@code NDList(hidden, patches, loc, scale)}, plus {@code mask} when built with a {@link PatchMasking}. As in
 * HF, masking is applied in training and in evaluation alike. The input must be fully observed (NaN is refused; HF's
 * {@code observed_mask} is not taken) and have exactly T steps and C channels.
 */
public final class PatchTSMixerModel extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    private final PatchTSMixerConfig config;
    private final PatchMasking masking;
    private final Patchify patchify;
    private final Linear patcher;
    private final List<MixerLayer> layers = new ArrayList<>();
    private final PositionalEncoding positions;

    /** The backbone for {@code config}, with {@code masking} (null: none) between patching and the patcher. */
    public PatchTSMixerModel(PatchTSMixerConfig config, PatchMasking masking) {
        super(VERSION);
        this.config = config;
        this.masking = masking;
        if (masking != null) {
            masking.check(config.numPatches(), config.channels());
        }
        patchify = addChildBlock("patchify",
                new Patchify(config.contextLength(), config.patchLength(), config.patchStride()));
        patcher = addChildBlock("patcher", TorchInit.apply(Linear.builder().setUnits(config.dModel()).build()));
        for (int i = 0; i < config.layers(); i++) {
            layers.add(addChildBlock("layer", new MixerLayer(config)));
        }
        positions = config.positionalEncoding() == PatchTSMixerConfig.PositionalEncoding.NONE ? null
                : addChildBlock("positions", new PositionalEncoding(config.numPatches(), config.dModel(),
                        config.positionalEncoding()));
    }

    /** This backbone's configuration. */
    public PatchTSMixerConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("PatchTSMixer", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        InputCheck.float32("PatchTSMixer", "past_values", x);
        InputCheck.noNaN("PatchTSMixer", "past_values", x, "fill or impute missing values first");
        NDList scaled = config.scaling().apply(x);                                    // x', loc, scale
        NDArray patches = patchify.forward(ps, new NDList(scaled.get(0)), training).singletonOrThrow(); // (B, C, N, P)
        NDArray h = patches;
        NDArray mask = null;
        if (masking != null) {
            NDList masked = masking.apply(patches);
            h = masked.get(0);
            mask = masked.get(1);
        }
        h = patcher.forward(ps, new NDList(h), training).singletonOrThrow();          // (B, C, N, d)
        if (positions != null) {
            h = positions.forward(ps, new NDList(h), training).singletonOrThrow();
        }
        for (MixerLayer layer : layers) {
            h = layer.forward(ps, new NDList(h), training).singletonOrThrow();        // (B, C, N, d)
        }
        NDList out = new NDList(h, patches, scaled.get(1), scaled.get(2));
        if (mask != null) {
            out.add(mask);
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        long b = inputShapes[0].get(0);
        long c = config.channels();
        long n = config.numPatches();
        Shape stat = new Shape(b, 1, c);
        Shape hidden = new Shape(b, c, n, config.dModel());
        Shape patches = new Shape(b, c, n, config.patchLength());
        return masking == null ? new Shape[] {hidden, patches, stat, stat}
                : new Shape[] {hidden, patches, stat, stat, new Shape(b, c, n)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        check(in);
        long b = in.get(0);
        long n = config.numPatches();
        patchify.initialize(manager, dataType, in);
        patcher.initialize(manager, dataType, new Shape(b, config.channels(), n, config.patchLength()));
        Shape hidden = new Shape(b, config.channels(), n, config.dModel());
        if (positions != null) {
            positions.initialize(manager, dataType, hidden);
        }
        for (MixerLayer layer : layers) {
            layer.initialize(manager, dataType, hidden);
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
        return "PatchTSMixerModel" + config + (masking == null ? "" : " + " + masking);
    }
}
