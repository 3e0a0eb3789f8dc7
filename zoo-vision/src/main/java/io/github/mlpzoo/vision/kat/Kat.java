package io.github.mlpzoo.vision.kat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.attention.MultiHeadSelfAttention;
import io.github.mlpzoo.core.nn.kan.GroupRationalMlp;
import io.github.mlpzoo.core.nn.tokenmix.MetaFormerBlock;
import io.github.mlpzoo.core.nn.vision.PatchEmbedding;
import io.github.mlpzoo.core.weights.KeyMap;
import io.github.mlpzoo.core.zoo.Configs;

import java.util.ArrayList;
import java.util.List;

/**
 * The Kolmogorov–Arnold Transformer (Yang &amp; Wang, ICLR 2025, §4–5; official {@code Adamdad/kat}
 * {@code katransformer.py}, {@code KATVisionTransformer}): a ViT whose channel MLPs are GR-KAN layers
 * ({@link GroupRationalMlp}):
 * <pre>
 *   x = [cls; PatchEmbed_{p×p/p}(img)] + pos          (B, N+1, C)
 *   x = x + DropPath(Attn(LN1(x)));  x = x + DropPath(GRKAN(LN2(x)))     × depth
 *   y = head(LN(x)[:, 0])                             (B, K)
 * </pre>
 * Dimension letters: B batch, N patches, C channels, K classes. Input {@code (B, inChannels, S, S)} of the configured
 * size only (the position embedding has N+1 rows, as timm's {@code fixed_input_size}). LayerNorms have eps 1e-6.
 * Stochastic depth rises linearly from 0 to {@code dropPath} over the blocks.
 *
 * <p>Rational activations follow the official GPU kernels ({@link io.github.mlpzoo.core.nn.kan.GroupRational}).
 * Initialization as {@code weight_init='kan_mimetic'} without the mimetic attention part: position embedding
 * N(0, 0.02), class token N(0, 1e-6), Linear weights N(0, 0.02) except q/k/v (Xavier uniform per part), zero biases,
 * the patch convolution PyTorch's default.
 *
 * <p>Parameters, official name → ours (i = 0..depth-1; {@link #keyMap}):
 * <pre>
 *   cls_token, pos_embed                    clsToken, posEmbed
 *   patch_embed.proj.{weight,bias}          01patchEmbed_01proj_{weight,bias}
 *   blocks.i.norm1.{weight,bias}            {i+2}block_01norm1_{gamma,beta}
 *   blocks.i.attn.{qkv,proj}.*              {i+2}block_02tokenMixer_{01qkv,02proj}_*
 *   blocks.i.norm2.*                        {i+2}block_03norm2_*
 *   blocks.i.mlp.fc1.*, fc2.*               {i+2}block_04mlp_01fc1_*, _04fc2_*
 *   blocks.i.mlp.act{1,2}.weight_numerator  {i+2}block_04mlp_0{2,3}act{1,2}_weightNumerator (and _denominator)
 *   norm.*, head.*                          {depth+2}norm_*, {depth+3}head_*
 * </pre>
 */
public final class Kat extends DescribedBlock {

    private static final byte VERSION = 1;

    private final KatConfig config;
    private final Parameter clsToken;
    private final Parameter posEmbed;
    private final PatchEmbedding patchEmbed;
    private final List<Block> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear head;

    private Kat(KatConfig c) {
        super(VERSION);
        this.config = c;
        clsToken = addParameter(Parameter.builder().setName("clsToken").setType(Parameter.Type.OTHER)
                .optShape(new Shape(1, 1, c.embedDim())).optInitializer(new NormalInitializer(1e-6f)).build());
        posEmbed = addParameter(Parameter.builder().setName("posEmbed").setType(Parameter.Type.OTHER)
                .optShape(new Shape(1, c.patches() + 1, c.embedDim())).optInitializer(new NormalInitializer(0.02f))
                .build());
        patchEmbed = addChildBlock("patchEmbed", PatchEmbedding.builder().setInChannels(c.inChannels())
                .setEmbedDim(c.embedDim()).setKernel(c.patchSize()).optFlatten(true).optImageSize(c.imageSize())
                .build());
        for (int i = 0; i < c.depth(); i++) {
            float dpr = c.depth() == 1 ? 0f : c.dropPath() * i / (c.depth() - 1);
            blocks.add(addChildBlock("block", MetaFormerBlock.builder()
                    .setNorm1(LayerNorm.builder().axis(2).optEpsilon(1e-6f).build())
                    .setTokenMixer(new MultiHeadSelfAttention(c.embedDim(), c.numHeads(), true, 0f, c.dropout()))
                    .setNorm2(LayerNorm.builder().axis(2).optEpsilon(1e-6f).build())
                    .setMlp(new GroupRationalMlp(c.embedDim(), c.mlpHidden(), c.embedDim(), c.groups(), c.actInit(),
                            c.dropout()))
                    .optDropPath(dpr)
                    .build()));
        }
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).optEpsilon(1e-6f).build());
        head = addChildBlock("head", Linear.builder().setUnits(c.numClasses()).build());
        head.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
        head.setInitializer(new ConstantInitializer(0f), Parameter.Type.BIAS);
    }

    /** KAT for {@code config}. */
    public static Kat of(KatConfig config) {
        return new Kat(config);
    }

    /** The key map from the official {@code KATVisionTransformer} state_dict names. */
    public static KeyMap keyMap(KatConfig c) {
        String norm = String.format("%02dnorm_", c.depth() + 2);
        String head = String.format("%02dhead_", c.depth() + 3);
        String b = "blocks\\.(\\d+)\\.";
        String ours = "{1+2}block_";
        return KeyMap.builder()
                .rename("cls_token", "clsToken")
                .rename("pos_embed", "posEmbed")
                .rename("patch_embed\\.proj\\.(weight|bias)", "01patchEmbed_01proj_{1}")
                .rename(b + "norm1\\.weight", ours + "01norm1_gamma")
                .rename(b + "norm1\\.bias", ours + "01norm1_beta")
                .rename(b + "attn\\.qkv\\.(weight|bias)", ours + "02tokenMixer_01qkv_{2}")
                .rename(b + "attn\\.proj\\.(weight|bias)", ours + "02tokenMixer_02proj_{2}")
                .rename(b + "norm2\\.weight", ours + "03norm2_gamma")
                .rename(b + "norm2\\.bias", ours + "03norm2_beta")
                .rename(b + "mlp\\.fc1\\.(weight|bias)", ours + "04mlp_01fc1_{2}")
                .rename(b + "mlp\\.act1\\.weight_numerator", ours + "04mlp_02act1_weightNumerator")
                .rename(b + "mlp\\.act1\\.weight_denominator", ours + "04mlp_02act1_weightDenominator")
                .rename(b + "mlp\\.act2\\.weight_numerator", ours + "04mlp_03act2_weightNumerator")
                .rename(b + "mlp\\.act2\\.weight_denominator", ours + "04mlp_03act2_weightDenominator")
                .rename(b + "mlp\\.fc2\\.(weight|bias)", ours + "04mlp_04fc2_{2}")
                .rename("norm\\.weight", norm + "gamma")
                .rename("norm\\.bias", norm + "beta")
                .rename("head\\.(weight|bias)", head + "{1}")
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = InputCheck.image("Kat", inputs);
        check(x.getShape());
        NDManager mgr = x.getManager();
        long b = x.getShape().get(0);
        x = patchEmbed.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, N, C)
        NDArray cls = ps.getValue(clsToken, x.getDevice(), training).broadcast(b, 1, config.embedDim());
        cls.attach(mgr);
        x = NDArrays.concat(new NDList(cls, x), 1); // (B, N+1, C)
        x = x.add(ps.getValue(posEmbed, x.getDevice(), training));
        for (Block blk : blocks) {
            x = blk.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, N+1, C)
        }
        x = norm.forward(ps, new NDList(x), training).singletonOrThrow();
        x = x.get(new NDIndex(":, 0, :")); // (B, C): the class token
        return head.forward(ps, new NDList(x), training); // (B, K)
    }

    private void check(Shape s) {
        InputCheck.imageShape("Kat", s, config.inChannels(), config.imageSize(), config.imageSize());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {new Shape(inputShapes[0].get(0), config.numClasses())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0]);
        patchEmbed.initialize(manager, dataType, inputShapes[0]);
        Shape tokens = new Shape(inputShapes[0].get(0), config.patches() + 1, config.embedDim());
        for (Block blk : blocks) {
            blk.initialize(manager, dataType, tokens);
        }
        norm.initialize(manager, dataType, tokens);
        head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), config.embedDim()));
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "Kat(" + config.depth() + " blocks of " + config.embedDim() + ", " + config.numHeads() + " heads, image "
                + config.imageSize() + ")";
    }
}
