package io.github.mlpzoo.vision.stripmlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.weights.KeyMap;
import io.github.mlpzoo.core.zoo.Configs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Strip-MLP (Cao et al., <i>Strip-MLP: Efficient Token Interaction for Vision MLP</i>, ICCV 2023, §3, Fig. 2),
 * exactly as the official {@code StripMLPNet} (Med-Process/Strip_MLP {@code models/strip_mlp.py}) computes it, NCHW
 * throughout:
 * <pre>
 *   x = Conv_{p×p/p, no bias}(img)                                   (B, C, S, S),  S = imageSize / p
 *   x = blocks1(x);  x = merging1(x)                                 (B, 2C, S/2, S/2)
 *   s13 = dw2x2_{2C→4C}(x);  s14 = dw2x2_{4C→8C}(s13)                cross-stage shortcuts
 *   x = blocks2(x);  x = merging2(x);  s24 = dw2x2_{4C→8C}(x)
 *   x = blocks3(x + s13);  x = merging3(x)
 *   x = blocks4(x + s14 + s24)
 *   y = head(mean_{H,W}(BN(x)))                                      (B, K)
 * </pre>
 * Each block is {@code x + DropPath(TokenMixing(x))}, {@code x + DropPath(ChannelMixing(x))}: token mixing is
 * BN → GELU → depthwise 3×3, Conv1×1 → BN → GELU, then half the channels through cascade group strip mixing
 * ({@link io.github.mlpzoo.core.nn.tokenmix.CascadeGroupStripMixing}, with relative-position biases) and half
 * through local strip mixing ({@link io.github.mlpzoo.core.nn.tokenmix.LocalStripMixing}), fused by a 1×1
 * convolution; channel mixing is depthwise 7×7 → LayerNorm → Linear C → 3C → GELU → GRN → Linear 3C → C. Mergings
 * are 2×2/2 convolutions (no bias); the shortcuts are depthwise 2×2/2 convolutions with channel multiplier 2.
 *
 * <p>Where the official code departs from the paper, this follows the code: the cross-stage shortcuts, the
 * relative positions, the BatchNorm inside strip mixing and the final BatchNorm are not in the paper's figures;
 * stochastic depth is a fixed 0.1 in every block (the official {@code BasicBlock} ignores the configured
 * {@code DROP_PATH_RATE}; here it is {@link StripMlpConfig#dropPath}); the config's dropout is never applied; the
 * strip group count is 2 when a stage has a multiple of 80 channels, else 4. The strip layers are sized for the
 * configured image side, so the input size is fixed (the official model runs only at 224×224); the side may be
 * any value whose stage-4 grid is at least 1×1 (grids floor as the strided convolutions do). Initialization is
 * PyTorch's default (the official model has no init function); relative-position tables N(0, 0.02²).
 *
 * <p>Shapes: input {@code (B, inChannels, imageSize, imageSize)}, output {@code (B, K)}. Parameters: see
 * {@link #keyMap} for the official names.
 */
public final class StripMlp extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    private final StripMlpConfig config;
    private final Conv2d patchEmbed;
    private final List<List<StripBlock>> stages = new ArrayList<>();
    private final List<Conv2d> mergings = new ArrayList<>();
    private final Conv2d s1To3;
    private final Conv2d s1To4;
    private final Conv2d s2To4;
    private final BatchNorm norm;
    private final Linear head;

    private StripMlp(StripMlpConfig c) {
        super(VERSION);
        this.config = c;
        int[] layers = c.layers();
        patchEmbed = addChildBlock("patchEmbed", conv(c.dim(0), c.patchSize(), 1));
        Conv2d a = null;
        Conv2d b = null;
        Conv2d d = null;
        for (int s = 0; s < 4; s++) {
            List<StripBlock> stage = new ArrayList<>();
            for (int j = 0; j < layers[s]; j++) {
                stage.add(addChildBlock("block", new StripBlock(c.dim(s), c.side(s), c.alpha(), c.dropPath())));
            }
            stages.add(stage);
            if (s < 3) {
                mergings.add(addChildBlock("merging", conv(c.dim(s + 1), 2, 1)));
            }
            if (s == 0) {
                a = addChildBlock("shortcut13", conv(c.dim(2), 2, c.dim(1)));
                b = addChildBlock("shortcut14", conv(c.dim(3), 2, c.dim(2)));
            } else if (s == 1) {
                d = addChildBlock("shortcut24", conv(c.dim(3), 2, c.dim(2)));
            }
        }
        s1To3 = a;
        s1To4 = b;
        s2To4 = d;
        norm = addChildBlock("norm", StripBlock.batchNorm());
        head = addChildBlock("head", TorchInit.apply(Linear.builder().setUnits(c.numClasses()).build()));
    }

    private static Conv2d conv(int filters, int k, int groups) {
        return TorchInit.apply(Conv2d.builder().setFilters(filters).setKernelShape(new Shape(k, k))
                .optStride(new Shape(k, k)).optGroups(groups).optBias(false).build());
    }

    /** Strip-MLP for {@code config}. */
    public static StripMlp of(StripMlpConfig config) {
        return new StripMlp(config);
    }

    /** This model's configuration. */
    public StripMlpConfig config() {
        return config;
    }

    /**
     * The key map from the official state_dict names (as {@code StripMLPNet.state_dict()}; checkpoints hold it
     * under {@code model}) to a Strip-MLP built from {@code config}.
     */
    public static KeyMap keyMap(StripMlpConfig config) {
        KeyMap.Builder b = KeyMap.builder().rename("patch_embed\\.weight", "01patchEmbed_weight");
        int[] layers = config.layers();
        int child = 1;
        for (int s = 0; s < 4; s++) {
            for (int j = 0; j < layers[s]; j++) {
                blockKeys(b, "blocks" + (s + 1) + "." + j + ".", String.format("%02dblock_", ++child));
            }
            if (s < 3) {
                b.rename(Pattern.quote("merging" + (s + 1) + ".weight"), String.format("%02dmerging_weight", ++child));
            }
            if (s == 0) {
                b.rename("conv_s1_28\\.weight", String.format("%02dshortcut13_weight", ++child));
                b.rename("conv_s1_14\\.weight", String.format("%02dshortcut14_weight", ++child));
            } else if (s == 1) {
                b.rename("conv_s2_14\\.weight", String.format("%02dshortcut24_weight", ++child));
            }
        }
        batchNorm(b, "norm.", String.format("%02dnorm_", ++child));
        return b.rename("head\\.(weight|bias)", String.format("%02dhead_{1}", ++child)).build();
    }

    private static void blockKeys(KeyMap.Builder b, String official, String ours) {
        String t = official + "token_mixing.";
        String tm = ours + "01tokenMixing_";
        batchNorm(b, t + "dwsc.conv_merge.BN.", tm + "01dwscNorm_");
        same(b, t + "dwsc.conv_merge.Conv.", tm + "02dwscConv_", "weight");
        String sb = t + "smlp_block.";
        same(b, sb + "mlp.0.", tm + "03mlpConv_", "weight", "bias");
        batchNorm(b, sb + "mlp.1.", tm + "04mlpNorm_");
        String cg = tm + "05cgsmm_";
        b.rename(Pattern.quote(sb + "relate_pos_h.embeddings_table"), cg + "01posH_table");
        same(b, sb + "proj_h.", cg + "02projH_", "weight", "bias");
        same(b, sb + "fuse_h.", cg + "03fuseH_", "weight");
        batchNorm(b, sb + "BN.", cg + "04norm_");
        b.rename(Pattern.quote(sb + "relate_pos_w.embeddings_table"), cg + "05posW_table");
        same(b, sb + "proj_w.", cg + "06projW_", "weight", "bias");
        same(b, sb + "fuse_w.", cg + "07fuseW_", "weight");
        String ls = tm + "06lsmm_";
        same(b, sb + "fc_h.", ls + "01fcH_", "weight");
        same(b, sb + "fc_w.", ls + "02fcW_", "weight");
        same(b, sb + "reweight.fc1.", ls + "03reweight_01fc1_", "weight", "bias");
        same(b, sb + "reweight.fc2.", ls + "03reweight_02fc2_", "weight", "bias");
        same(b, sb + "fuse.", tm + "07fuse_", "weight");
        String c = official + "channel_mixing.";
        String cm = ours + "02channelMixing_";
        same(b, c + "conv_77.", cm + "01conv77_", "weight");
        b.rename(Pattern.quote(c + "layer_norm.weight"), cm + "02norm_gamma");
        b.rename(Pattern.quote(c + "layer_norm.bias"), cm + "02norm_beta");
        same(b, c + "fc1.", cm + "03fc1_", "weight", "bias");
        same(b, c + "grn.", cm + "04grn_", "gamma", "beta");
        same(b, c + "fc2.", cm + "05fc2_", "weight", "bias");
    }

    private static void same(KeyMap.Builder b, String official, String ours, String... names) {
        for (String n : names) {
            b.rename(Pattern.quote(official + n), ours + n);
        }
    }

    private static void batchNorm(KeyMap.Builder b, String official, String ours) {
        b.rename(Pattern.quote(official + "weight"), ours + "gamma")
                .rename(Pattern.quote(official + "bias"), ours + "beta")
                .rename(Pattern.quote(official + "running_mean"), ours + "runningMean")
                .rename(Pattern.quote(official + "running_var"), ours + "runningVar");
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = InputCheck.image("StripMlp", inputs);
        check(x.getShape());
        x = run(ps, patchEmbed, x, training); // (B, C, S, S)
        x = blocks(ps, 0, x, training);
        x = run(ps, mergings.get(0), x, training); // (B, 2C, S/2, S/2)
        NDArray s13 = run(ps, s1To3, x, training); // (B, 4C, S/4, S/4)
        NDArray s14 = run(ps, s1To4, s13, training); // (B, 8C, S/8, S/8)
        x = blocks(ps, 1, x, training);
        x = run(ps, mergings.get(1), x, training); // (B, 4C, S/4, S/4)
        NDArray s24 = run(ps, s2To4, x, training);
        x = blocks(ps, 2, x.add(s13), training);
        x = run(ps, mergings.get(2), x, training); // (B, 8C, S/8, S/8)
        x = blocks(ps, 3, x.add(s14).add(s24), training);
        x = run(ps, norm, x, training);
        Shape s = x.getShape();
        x = x.reshape(s.get(0), s.get(1), -1).mean(new int[] {2}); // (B, 8C)
        return head.forward(ps, new NDList(x), training); // (B, K)
    }

    private static NDArray run(ParameterStore ps, Block block, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    private NDArray blocks(ParameterStore ps, int stage, NDArray x, boolean training) {
        for (StripBlock b : stages.get(stage)) {
            x = run(ps, b, x, training);
        }
        return x;
    }

    private void check(Shape s) {
        InputCheck.imageShape("StripMlp", s, config.inChannels(), config.imageSize(), config.imageSize());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {new Shape(inputShapes[0].get(0), config.numClasses())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        check(in);
        long b = in.get(0);
        patchEmbed.initialize(manager, dataType, in);
        for (int s = 0; s < 4; s++) {
            Shape x = new Shape(b, config.dim(s), config.side(s), config.side(s));
            for (StripBlock block : stages.get(s)) {
                block.initialize(manager, dataType, x);
            }
            if (s < 3) {
                mergings.get(s).initialize(manager, dataType, x);
            }
        }
        s1To3.initialize(manager, dataType, new Shape(b, config.dim(1), config.side(1), config.side(1)));
        s1To4.initialize(manager, dataType, new Shape(b, config.dim(2), config.side(2), config.side(2)));
        s2To4.initialize(manager, dataType, new Shape(b, config.dim(2), config.side(2), config.side(2)));
        norm.initialize(manager, dataType, new Shape(b, config.dim(3), config.side(3), config.side(3)));
        head.initialize(manager, dataType, new Shape(b, config.dim(3)));
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "StripMlp" + config;
    }
}
