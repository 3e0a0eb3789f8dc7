package io.github.mlpzoo.vision.poolformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.tokenmix.MetaFormerBlock;
import io.github.mlpzoo.core.nn.tokenmix.PoolingTokenMixer;
import io.github.mlpzoo.core.nn.vision.ConvMlp;
import io.github.mlpzoo.core.nn.vision.GroupNorm;
import io.github.mlpzoo.core.nn.vision.PatchEmbedding;
import io.github.mlpzoo.core.weights.KeyMap;
import io.github.mlpzoo.core.zoo.Configs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * PoolFormer (Yu et al., <i>MetaFormer Is Actually What You Need for Vision</i>, CVPR 2022, §3.2 and Table 1;
 * official sail-sg/poolformer {@code models/poolformer.py}, class {@code PoolFormer}), a four-stage NCHW network of
 * {@link MetaFormerBlock}s whose token mixer is pooling:
 * <pre>
 *   x = Conv_{7×7/4, pad 2}(img)                                  (B, C_0, H/4, W/4)
 *   per stage s, per block:
 *       x = x + DropPath(ls1 ⊙ (AvgPool_{3×3, exclude pad}(GN(x)) - GN(x)))
 *       x = x + DropPath(ls2 ⊙ Conv1×1(GELU(Conv1×1(GN(x)))))
 *   between stages: x = Conv_{3×3/2, pad 1}(x)                     (B, C_{s+1}, ·/2, ·/2)
 *   y = head(mean_{H,W}(GN(x)))                                    (B, K)
 * </pre>
 * GN is {@code GroupNorm(1, C)} (eps 1e-5), which the paper calls Modified Layer Normalization (§4.1: mean and
 * variance over channels and space, affine per channel); ls1, ls2 are {@link io.github.mlpzoo.core.nn.residual.LayerScale}s
 * broadcast over space. Stochastic depth rises linearly over the global block index. Any input size at least the
 * stem's works (the model is fully convolutional), e.g. 224×224 for ImageNet or 28×28 for Fashion-MNIST; input
 * {@code (B, inChannels, H, W)}, output {@code (B, K)}. Initialization as the official {@code _init_weights}:
 * Linear weights truncated normal (σ 0.02), biases 0; convolutions keep PyTorch's default.
 *
 * <p>Parameters: official {@code patch_embed.proj.*}, {@code network.{2s}.{j}.*} (block j of stage s),
 * {@code network.{2s+1}.proj.*} (downsampling), {@code norm.*}, {@code head.*}; see {@link #keyMap} for ours.
 */
public final class PoolFormer extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    private final PoolFormerConfig config;
    private final PatchEmbedding stem;
    private final List<List<MetaFormerBlock>> stages = new ArrayList<>();
    private final List<PatchEmbedding> downsamples = new ArrayList<>();
    private final GroupNorm norm;
    private final Linear head;

    private PoolFormer(PoolFormerConfig c) {
        super(VERSION);
        this.config = c;
        int[] layers = c.layers();
        int[] dims = c.embedDims();
        stem = addChildBlock("stem", PatchEmbedding.builder().setInChannels(c.inChannels()).setEmbedDim(dims[0])
                .setKernel(c.stemKernel()).optStride(c.stemStride()).optPadding(c.stemPadding()).build());
        int total = c.totalBlocks();
        int k = 0;
        for (int s = 0; s < layers.length; s++) {
            List<MetaFormerBlock> stage = new ArrayList<>();
            for (int j = 0; j < layers[s]; j++, k++) {
                float dpr = total > 1 ? c.dropPath() * k / (total - 1) : 0f;
                stage.add(addChildBlock("block", MetaFormerBlock.builder()
                        .setNorm1(GroupNorm.singleGroup(dims[s]))
                        .setTokenMixer(new PoolingTokenMixer(c.poolSize()))
                        .setNorm2(GroupNorm.singleGroup(dims[s]))
                        .setMlp(new ConvMlp(dims[s], (int) (dims[s] * c.mlpRatio()), c.dropout()))
                        .optLayerScale(dims[s], c.layerScaleInit(), true)
                        .optDropPath(dpr)
                        .build()));
            }
            stages.add(stage);
            if (s + 1 < layers.length) {
                downsamples.add(addChildBlock("downsample", PatchEmbedding.builder().setInChannels(dims[s])
                        .setEmbedDim(dims[s + 1]).setKernel(c.downKernel()).optStride(c.downStride())
                        .optPadding(c.downPadding()).build()));
            }
        }
        norm = addChildBlock("norm", GroupNorm.singleGroup(dims[dims.length - 1]));
        head = addChildBlock("head", Linear.builder().setUnits(c.numClasses()).build());
        head.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
        head.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
    }

    /** PoolFormer for {@code config}. */
    public static PoolFormer of(PoolFormerConfig config) {
        return new PoolFormer(config);
    }

    /** This model's configuration. */
    public PoolFormerConfig config() {
        return config;
    }

    /**
     * The key map from the official state_dict names (sail-sg/poolformer, e.g. {@code poolformer_s12.pth.tar}) to a
     * PoolFormer built from {@code config}: our children are numbered in forward order (stem, the blocks of stage 0,
     * downsample 0, the blocks of stage 1, ...), so each official {@code network.{i}} maps to its own prefix.
     */
    public static KeyMap keyMap(PoolFormerConfig config) {
        KeyMap.Builder b = KeyMap.builder().rename("patch_embed\\.proj\\.(weight|bias)", "01stem_01proj_{1}");
        int[] layers = config.layers();
        int child = 1;
        for (int s = 0; s < layers.length; s++) {
            for (int j = 0; j < layers[s]; j++) {
                child++;
                String ours = String.format("%02dblock_", child);
                String official = Pattern.quote("network." + 2 * s + "." + j + ".");
                b.rename(official + "norm1\\.weight", ours + "01norm1_gamma")
                        .rename(official + "norm1\\.bias", ours + "01norm1_beta")
                        .rename(official + "norm2\\.weight", ours + "03norm2_gamma")
                        .rename(official + "norm2\\.bias", ours + "03norm2_beta")
                        .rename(official + "mlp\\.fc1\\.(weight|bias)", ours + "04mlp_01fc1_{1}")
                        .rename(official + "mlp\\.fc2\\.(weight|bias)", ours + "04mlp_02fc2_{1}")
                        .rename(official + "layer_scale_1", ours + "05layerScale1_gamma")
                        .rename(official + "layer_scale_2", ours + "06layerScale2_gamma");
            }
            if (s + 1 < layers.length) {
                child++;
                b.rename(Pattern.quote("network." + (2 * s + 1) + ".proj.") + "(weight|bias)",
                        String.format("%02ddownsample_01proj_{1}", child));
            }
        }
        return b.rename("norm\\.weight", String.format("%02dnorm_gamma", child + 1))
                .rename("norm\\.bias", String.format("%02dnorm_beta", child + 1))
                .rename("head\\.(weight|bias)", String.format("%02dhead_{1}", child + 2))
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = InputCheck.image("PoolFormer", inputs);
        check(x.getShape());
        x = stem.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, C_0, H/4, W/4)
        for (int s = 0; s < stages.size(); s++) {
            for (Block b : stages.get(s)) {
                x = b.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, C_s, H_s, W_s)
            }
            if (s < downsamples.size()) {
                x = downsamples.get(s).forward(ps, new NDList(x), training).singletonOrThrow();
            }
        }
        x = norm.forward(ps, new NDList(x), training).singletonOrThrow();
        Shape s = x.getShape();
        x = x.reshape(s.get(0), s.get(1), -1).mean(new int[] {2}); // (B, C_last)
        return head.forward(ps, new NDList(x), training); // (B, K)
    }

    private void check(Shape s) {
        InputCheck.imageShape("PoolFormer", s, config.inChannels(), InputCheck.ANY, InputCheck.ANY);
        stem.getOutputShapes(new Shape[] {s});
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {new Shape(inputShapes[0].get(0), config.numClasses())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0]);
        stem.initialize(manager, dataType, inputShapes[0]);
        Shape x = stem.getOutputShapes(inputShapes)[0];
        for (int s = 0; s < stages.size(); s++) {
            for (Block b : stages.get(s)) {
                b.initialize(manager, dataType, x);
            }
            if (s < downsamples.size()) {
                PatchEmbedding d = downsamples.get(s);
                d.initialize(manager, dataType, x);
                x = d.getOutputShapes(new Shape[] {x})[0];
            }
        }
        norm.initialize(manager, dataType, x);
        head.initialize(manager, dataType, new Shape(x.get(0), x.get(1)));
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "PoolFormer" + config;
    }
}
