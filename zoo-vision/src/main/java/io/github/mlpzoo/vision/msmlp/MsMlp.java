package io.github.mlpzoo.vision.msmlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.vision.PatchEmbedding;
import io.github.mlpzoo.core.weights.KeyMap;
import io.github.mlpzoo.core.zoo.Configs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * MS-MLP (Zheng et al., <i>Mixing and Shifting: Exploiting Global and Local Dependencies in Vision MLPs</i>,
 * arXiv 2202.06510, §3, Fig. 2) as the official {@code MS_MLP} (JegZheng/MS-MLP {@code models/ms_mlp.py}) computes
 * it, a four-stage NCHW network:
 * <pre>
 *   x = LN(Conv_{p×p/p}(img))                                     (B, C, S, S), S = imageSize / p
 *   per stage s: x = MixShiftBlock(x) × depth_s;  between stages x = LN(Conv_{2×2/2}(x))   (B, 2C, S/2, S/2)
 *   y = head(LN(mean_{H,W}(x)))                                   (B, K)
 * </pre>
 * with {@code MixShiftBlock(x) = x + DropPath(gamma ⊙ MLP(LN(MixShift(x))))}
 * ({@link io.github.mlpzoo.core.nn.tokenmix.MixShift}: channel groups shifted circularly along W and H, each mixed by
 * its own depthwise convolution). LN is the repo's LayerNorm over channels (eps 1e-6).
 *
 * <p>Where the official code departs from the paper, this follows the code: shifts [-2,-1,0,1,2] are paired with
 * mixing sizes such as [1,1,3,5,7] (the figure shows one-directional shifts 0..4 with sizes 1,3,5,7), and the shift
 * comes before the mixing convolution; there is no norm before the token mixing; the LayerNorm of the head comes
 * after the pooling; downsampling is a 2×2/2 patch embedding with LayerNorm (the {@code PatchMerging} class is
 * unused); {@code drop_rate} is never applied. The input size is fixed (the official patch embedding asserts it);
 * grids floor as the strided convolutions do. Initialization as the official {@code _init_weights}: Linear weights
 * truncated normal (σ 0.02), biases 0; convolutions PyTorch's default; layer scales 1e-6.
 *
 * <p>Shapes: input {@code (B, inChannels, imageSize, imageSize)}, output {@code (B, K)}. Parameters: see
 * {@link #keyMap} for the official names.
 */
public final class MsMlp extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    private final MsMlpConfig config;
    private final PatchEmbedding stem;
    private final LayerNorm stemNorm;
    private final List<List<MixShiftBlock>> stages = new ArrayList<>();
    private final List<PatchEmbedding> downsamples = new ArrayList<>();
    private final List<LayerNorm> downsampleNorms = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear head;

    private MsMlp(MsMlpConfig c) {
        super(VERSION);
        this.config = c;
        int[] depths = c.depths();
        stem = addChildBlock("stem", PatchEmbedding.builder().setInChannels(c.inChannels()).setEmbedDim(c.dim(0))
                .setKernel(c.patchSize()).optStride(c.patchSize()).build());
        stemNorm = addChildBlock("stemNorm", layerNorm(3));
        int total = c.totalBlocks();
        int k = 0;
        for (int s = 0; s < depths.length; s++) {
            List<MixShiftBlock> stage = new ArrayList<>();
            for (int j = 0; j < depths[s]; j++, k++) {
                float dpr = total > 1 ? c.dropPath() * k / (total - 1) : 0f;
                stage.add(addChildBlock("block", new MixShiftBlock(c.dim(s), c.side(s), c.shiftDist(), c.mixSize(s),
                        c.mlpRatio(), c.layerScaleInit(), dpr)));
            }
            stages.add(stage);
            if (s + 1 < depths.length) {
                downsamples.add(addChildBlock("downsample", PatchEmbedding.builder().setInChannels(c.dim(s))
                        .setEmbedDim(c.dim(s + 1)).setKernel(2).optStride(2).build()));
                downsampleNorms.add(addChildBlock("downsampleNorm", layerNorm(3)));
            }
        }
        norm = addChildBlock("norm", layerNorm(1));
        head = addChildBlock("head", linear(c.numClasses()));
    }

    static LayerNorm layerNorm(int lastAxis) {
        return LayerNorm.builder().axis(lastAxis).optEpsilon(1e-6f).build();
    }

    /** A Linear with the official {@code _init_weights}: weight truncated normal σ 0.02, bias 0. */
    static Linear linear(int units) {
        Linear l = Linear.builder().setUnits(units).build();
        l.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
        l.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return l;
    }

    /** MS-MLP for {@code config}. */
    public static MsMlp of(MsMlpConfig config) {
        return new MsMlp(config);
    }

    /** This model's configuration. */
    public MsMlpConfig config() {
        return config;
    }

    /**
     * The key map from the official state_dict names (as {@code MS_MLP.state_dict()}; the released checkpoints hold
     * it under {@code model}) to an MS-MLP built from {@code config}.
     */
    public static KeyMap keyMap(MsMlpConfig config) {
        KeyMap.Builder b = KeyMap.builder()
                .rename("patch_embed\\.proj\\.(weight|bias)", "01stem_01proj_{1}");
        layerNormKeys(b, "patch_embed.norm.", "02stemNorm_");
        int[] depths = config.depths();
        int groups = config.shiftDist().length;
        int child = 2;
        for (int s = 0; s < depths.length; s++) {
            for (int j = 0; j < depths[s]; j++) {
                String official = "layers." + s + ".blocks." + j + ".";
                String ours = String.format("%02dblock_", ++child);
                for (int i = 0; i < groups; i++) {
                    b.rename(Pattern.quote(official + "dwconv_lr." + i + ".") + "(weight|bias)",
                            ours + String.format("01mixShift_%02dlr%d_{1}", i + 1, i));
                    b.rename(Pattern.quote(official + "dwconv_td." + i + ".") + "(weight|bias)",
                            ours + String.format("01mixShift_%02dtd%d_{1}", groups + i + 1, i));
                }
                layerNormKeys(b, official + "norm.", ours + "02norm_");
                b.rename(Pattern.quote(official + "pwconv1.") + "(weight|bias)", ours + "03pwconv1_{1}")
                        .rename(Pattern.quote(official + "pwconv2.") + "(weight|bias)", ours + "04pwconv2_{1}")
                        .rename(Pattern.quote(official + "gamma"), ours + "05layerScale_gamma");
            }
            if (s + 1 < depths.length) {
                String official = "layers." + s + ".downsample.";
                b.rename(Pattern.quote(official + "proj.") + "(weight|bias)",
                        String.format("%02ddownsample_01proj_{1}", ++child));
                layerNormKeys(b, official + "norm.", String.format("%02ddownsampleNorm_", ++child));
            }
        }
        layerNormKeys(b, "norm.", String.format("%02dnorm_", ++child));
        return b.rename("head\\.(weight|bias)", String.format("%02dhead_{1}", ++child)).build();
    }

    private static void layerNormKeys(KeyMap.Builder b, String official, String ours) {
        b.rename(Pattern.quote(official + "weight"), ours + "gamma")
                .rename(Pattern.quote(official + "bias"), ours + "beta");
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = InputCheck.image("MsMlp", inputs);
        check(x.getShape());
        x = embed(ps, stem, stemNorm, x, training); // (B, C, S, S)
        for (int s = 0; s < stages.size(); s++) {
            for (Block b : stages.get(s)) {
                x = b.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, C_s, S_s, S_s)
            }
            if (s < downsamples.size()) {
                x = embed(ps, downsamples.get(s), downsampleNorms.get(s), x, training);
            }
        }
        Shape s = x.getShape();
        x = x.reshape(s.get(0), s.get(1), -1).mean(new int[] {2}); // (B, C_last)
        x = norm.forward(ps, new NDList(x), training).singletonOrThrow();
        return head.forward(ps, new NDList(x), training); // (B, K)
    }

    /** The official {@code PatchEmbed}: convolution, then LayerNorm over channels; NCHW in and out. */
    private static NDArray embed(ParameterStore ps, PatchEmbedding conv, LayerNorm ln, NDArray x, boolean training) {
        x = conv.forward(ps, new NDList(x), training).singletonOrThrow().transpose(0, 2, 3, 1); // (B, H, W, C)
        return ln.forward(ps, new NDList(x), training).singletonOrThrow().transpose(0, 3, 1, 2);
    }

    private void check(Shape s) {
        InputCheck.imageShape("MsMlp", s, config.inChannels(), config.imageSize(), config.imageSize());
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
        stem.initialize(manager, dataType, in);
        stemNorm.initialize(manager, dataType, new Shape(b, config.side(0), config.side(0), config.dim(0)));
        for (int s = 0; s < stages.size(); s++) {
            Shape x = new Shape(b, config.dim(s), config.side(s), config.side(s));
            for (Block block : stages.get(s)) {
                block.initialize(manager, dataType, x);
            }
            if (s < downsamples.size()) {
                downsamples.get(s).initialize(manager, dataType, x);
                downsampleNorms.get(s).initialize(manager, dataType,
                        new Shape(b, config.side(s + 1), config.side(s + 1), config.dim(s + 1)));
            }
        }
        int last = stages.size() - 1;
        norm.initialize(manager, dataType, new Shape(b, config.dim(last)));
        head.initialize(manager, dataType, new Shape(b, config.dim(last)));
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "MsMlp" + config;
    }
}
