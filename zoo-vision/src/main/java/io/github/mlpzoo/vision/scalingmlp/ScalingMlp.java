package io.github.mlpzoo.vision.scalingmlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.nn.heads.MatryoshkaHead;
import io.github.mlpzoo.core.nn.mixer.MixerMlp;
import io.github.mlpzoo.core.weights.KeyMap;
import io.github.mlpzoo.core.zoo.Configs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Scaling-MLP {@code BottleneckMLP} (gregorbachmann/scaling_mlps {@code models/networks.py}; NeurIPS 2023, §3):
 * <pre>
 *   x = flatten(img) W_inᵀ + b_in                        (B, W)   flatten in C, H, W order (NCHW)
 *   x = x + fc2(GELU(fc1(LN_i(x))))                      × L      fc1: W → E·W, fc2: E·W → W
 *   y = x W_outᵀ + b_out                                  (B, K)   no final norm
 * </pre>
 * B batch, W width, E expansion, K classes. Input {@code (B, inChannels, S, S)} of the configured size. PyTorch's
 * default Linear init, LayerNorm eps 1e-5. The repository's training-time dropout was removed at HEAD
 * (commit eb719cf), so there is none.
 *
 * <p>With {@code matryoshka = g > 0} (our option) the head is a {@link MatryoshkaHead} on the nested prefixes
 * {@link ScalingMlpConfig#nesting()} of x instead of {@code linear_out}, and the output is g arrays {@code (B, K)},
 * coarsest first (train them with {@link io.github.mlpzoo.core.nn.heads.MatryoshkaLoss}); the child is then
 * {@code {L+2}matryoshkaHead} and the official key map does not apply to it.
 *
 * <p>Parameters, official name → ours (i = 0..L-1): {@code linear_in.*} → {@code 01linearIn_*};
 * {@code layernorms.i.*} → {@code {i+2}block_01norm_{gamma,beta}}; {@code blocks.i.block.0.*} →
 * {@code {i+2}block_02mlp_01fc1_*}; {@code blocks.i.block.2.*} → {@code {i+2}block_02mlp_02fc2_*};
 * {@code linear_out.*} → {@code {L+2}linearOut_*}.
 */
public final class ScalingMlp extends DescribedBlock {

    private static final byte VERSION = 1;

    private final ScalingMlpConfig config;
    private final Linear linearIn;
    private final List<Bottleneck> blocks = new ArrayList<>();
    private final Block head;

    private ScalingMlp(ScalingMlpConfig c) {
        super(VERSION);
        this.config = c;
        linearIn = addChildBlock("linearIn", TorchInit.apply(Linear.builder().setUnits(c.width()).build()));
        for (int i = 0; i < c.blocks(); i++) {
            blocks.add(addChildBlock("block", new Bottleneck(c.width(), c.expansion() * c.width())));
        }
        head = c.matryoshka() == 0
                ? addChildBlock("linearOut", TorchInit.apply(Linear.builder().setUnits(c.numClasses()).build()))
                : addChildBlock("matryoshkaHead", new MatryoshkaHead(c.nesting(), c.numClasses(), false));
    }

    /** The MLP for {@code config}. */
    public static ScalingMlp of(ScalingMlpConfig config) {
        return new ScalingMlp(config);
    }

    /** The key map from the official {@code BottleneckMLP} state_dict names. */
    public static KeyMap keyMap(ScalingMlpConfig c) {
        return KeyMap.builder()
                .rename("linear_in\\.(weight|bias)", "01linearIn_{1}")
                .rename("layernorms\\.(\\d+)\\.weight", "{1+2}block_01norm_gamma")
                .rename("layernorms\\.(\\d+)\\.bias", "{1+2}block_01norm_beta")
                .rename("blocks\\.(\\d+)\\.block\\.0\\.(weight|bias)", "{1+2}block_02mlp_01fc1_{2}")
                .rename("blocks\\.(\\d+)\\.block\\.2\\.(weight|bias)", "{1+2}block_02mlp_02fc2_{2}")
                .rename("linear_out\\.(weight|bias)", String.format("%02dlinearOut_{1}", c.blocks() + 2))
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("ScalingMlp", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        InputCheck.float32("ScalingMlp", "input", x);
        x = x.reshape(x.getShape().get(0), config.dimIn()); // (B, C·H·W)
        x = linearIn.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, W)
        for (Bottleneck b : blocks) {
            x = b.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        return head.forward(ps, new NDList(x), training); // (B, K), or g of them with the Matryoshka head
    }

    private void check(Shape s) {
        InputCheck.shape("ScalingMlp", "input (B, C, H, W)", s, InputCheck.ANY, config.inChannels(),
                config.imageSize(), config.imageSize());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        Shape[] out = new Shape[Math.max(1, config.matryoshka())];
        Arrays.fill(out, new Shape(inputShapes[0].get(0), config.numClasses()));
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0]);
        long b = inputShapes[0].get(0);
        linearIn.initialize(manager, dataType, new Shape(b, config.dimIn()));
        Shape h = new Shape(b, config.width());
        for (Bottleneck blk : blocks) {
            blk.initialize(manager, dataType, h);
        }
        head.initialize(manager, dataType, h);
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "ScalingMlp(B_" + config.blocks() + "-Wi_" + config.width() + ", image " + config.imageSize() + ")";
    }

    /** {@code x + fc2(GELU(fc1(LN(x))))}: the official {@code layernorms[i]} and {@code BottleneckBlock}. */
    private static final class Bottleneck extends AbstractBlock {
        private final LayerNorm norm;
        private final MixerMlp mlp;

        Bottleneck(int width, int wide) {
            super((byte) 1);
            norm = addChildBlock("norm", LayerNorm.builder().axis(1).build());
            mlp = addChildBlock("mlp", new MixerMlp(width, wide, width, 0f, MixerMlp.Act.GELU));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray h = norm.forward(ps, new NDList(x), training).singletonOrThrow();
            return new NDList(x.add(mlp.forward(ps, new NDList(h), training).singletonOrThrow()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            norm.initialize(manager, dataType, inputShapes);
            mlp.initialize(manager, dataType, inputShapes);
        }
    }
}
