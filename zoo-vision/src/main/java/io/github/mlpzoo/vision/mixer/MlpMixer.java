package io.github.mlpzoo.vision.mixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.nn.mixer.MixerMlp;
import io.github.mlpzoo.core.nn.tokenmix.MetaFormerBlock;
import io.github.mlpzoo.core.nn.tokenmix.TokenMixingMlp;
import io.github.mlpzoo.core.nn.vision.PatchEmbedding;
import io.github.mlpzoo.core.weights.KeyMap;
import io.github.mlpzoo.core.zoo.Configs;

import java.util.ArrayList;
import java.util.List;

/**
 * timm's {@code MlpMixer} ({@code timm/models/mlp_mixer.py}): a patch stem, a stack of token-sequence blocks, a
 * final LayerNorm, the mean over tokens and a linear head:
 * <pre>
 *   x = PatchEmbed_{p×p/p}(img)            (B, N, C),  N = (S / p)²
 *   x = block_L(... block_1(x))            (B, N, C)
 *   y = head(mean_N(LayerNorm(x)))         (B, K)
 * </pre>
 * Dimension letters: B batch, S image side, p patch side, N tokens, C channels, K classes. With
 * {@link #of(MlpMixerConfig)} the blocks are MLP-Mixer's (Tolstikhin et al., NeurIPS 2021, §2): a
 * {@link MetaFormerBlock} with LayerNorm (eps 1e-6), a {@link TokenMixingMlp} and a channel {@link MixerMlp}, no
 * layer scale. gMLP uses the same skeleton with its own blocks ({@link #withBlocks}).
 *
 * <p>As in timm the input size is fixed (the token MLPs' weights have N rows): the input must be
 * {@code (B, inChannels, S, S)}; any other shape is refused naming the expected one. timm's own
 * {@code drop_path_rate} is the same for every block (timm marks this as a known quirk), and so is ours.
 *
 * <p>Parameters, timm name → ours (i = 0..L-1, L blocks; {@link #mixerKeyMap}):
 * <pre>
 *   stem.proj.{weight,bias}                 01stem_01proj_{weight,bias}
 *   blocks.i.norm1.{weight,bias}            {i+2}block_01norm1_{gamma,beta}
 *   blocks.i.mlp_tokens.fc{1,2}.*           {i+2}block_02tokenMixer_01mlp_0{1,2}fc{1,2}_*
 *   blocks.i.norm2.{weight,bias}            {i+2}block_03norm2_{gamma,beta}
 *   blocks.i.mlp_channels.fc{1,2}.*         {i+2}block_04mlp_0{1,2}fc{1,2}_*
 *   norm.{weight,bias}                      {L+2}norm_{gamma,beta}
 *   head.{weight,bias}                      {L+3}head_{weight,bias}
 * </pre>
 */
public final class MlpMixer extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    private final int imageSize;
    private final int inChannels;
    private final int embedDim;
    private final int numClasses;
    private final String weights;
    private final PatchEmbedding stem;
    private final List<Block> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear head;

    private MlpMixer(Record config, int imageSize, int inChannels, int patchSize, int embedDim, int numClasses,
            List<Block> stack) {
        super(VERSION);
        this.weights = Configs.describeWeights(config);
        if (stack.isEmpty()) {
            throw new IllegalArgumentException("MlpMixer needs at least one block");
        }
        this.imageSize = imageSize;
        this.inChannels = inChannels;
        this.embedDim = embedDim;
        this.numClasses = numClasses;
        stem = addChildBlock("stem", PatchEmbedding.builder().setInChannels(inChannels).setEmbedDim(embedDim)
                .setKernel(patchSize).optFlatten(true).optImageSize(imageSize).build());
        for (Block b : stack) {
            blocks.add(addChildBlock("block", b));
        }
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).optEpsilon(1e-6f).build());
        head = addChildBlock("head", TorchInit.apply(Linear.builder().setUnits(numClasses).build()));
    }

    /** MLP-Mixer for {@code config}. */
    public static MlpMixer of(MlpMixerConfig c) {
        List<Block> stack = new ArrayList<>();
        for (int i = 0; i < c.numBlocks(); i++) {
            stack.add(MetaFormerBlock.builder()
                    .setNorm1(LayerNorm.builder().axis(2).optEpsilon(1e-6f).build())
                    .setTokenMixer(new TokenMixingMlp(c.tokens(), c.embedDim(), c.tokenHidden(), c.dropout()))
                    .setNorm2(LayerNorm.builder().axis(2).optEpsilon(1e-6f).build())
                    .setMlp(new MixerMlp(c.embedDim(), c.channelHidden(), c.embedDim(), c.dropout(),
                            MixerMlp.Act.GELU))
                    .optDropPath(c.dropPath())
                    .build());
        }
        return new MlpMixer(c, c.imageSize(), c.inChannels(), c.patchSize(), c.embedDim(), c.numClasses(), stack);
    }

    /**
     * timm's {@code MlpMixer} skeleton around {@code blocks}, each mapping {@code (B, N, embedDim)} to itself, e.g.
     * gMLP's spatial gating blocks; {@code config}, what the blocks were built from, identifies the weights in saved
     * parameter files ({@link Configs#describeWeights}).
     */
    public static MlpMixer withBlocks(Record config, int imageSize, int inChannels, int patchSize, int embedDim,
            int numClasses, List<Block> blocks) {
        return new MlpMixer(config, imageSize, inChannels, patchSize, embedDim, numClasses, blocks);
    }

    /** The key map from timm's {@code mixer_*} state_dict names to a Mixer built from {@code config}. */
    public static KeyMap mixerKeyMap(MlpMixerConfig config) {
        return skeletonKeys(config.numBlocks())
                .rename("blocks\\.(\\d+)\\.norm1\\.weight", "{1+2}block_01norm1_gamma")
                .rename("blocks\\.(\\d+)\\.norm1\\.bias", "{1+2}block_01norm1_beta")
                .rename("blocks\\.(\\d+)\\.mlp_tokens\\.fc1\\.(weight|bias)", "{1+2}block_02tokenMixer_01mlp_01fc1_{2}")
                .rename("blocks\\.(\\d+)\\.mlp_tokens\\.fc2\\.(weight|bias)", "{1+2}block_02tokenMixer_01mlp_02fc2_{2}")
                .rename("blocks\\.(\\d+)\\.norm2\\.weight", "{1+2}block_03norm2_gamma")
                .rename("blocks\\.(\\d+)\\.norm2\\.bias", "{1+2}block_03norm2_beta")
                .rename("blocks\\.(\\d+)\\.mlp_channels\\.fc1\\.(weight|bias)", "{1+2}block_04mlp_01fc1_{2}")
                .rename("blocks\\.(\\d+)\\.mlp_channels\\.fc2\\.(weight|bias)", "{1+2}block_04mlp_02fc2_{2}")
                .build();
    }

    /** The rules for the stem, final norm and head of a skeleton with {@code numBlocks} blocks. */
    public static KeyMap.Builder skeletonKeys(int numBlocks) {
        String norm = String.format("%02dnorm_", numBlocks + 2);
        String head = String.format("%02dhead_", numBlocks + 3);
        return KeyMap.builder()
                .rename("stem\\.proj\\.(weight|bias)", "01stem_01proj_{1}")
                .rename("norm\\.weight", norm + "gamma")
                .rename("norm\\.bias", norm + "beta")
                .rename("head\\.(weight|bias)", head + "{1}");
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = InputCheck.image("MlpMixer", inputs);
        check(x.getShape());
        x = stem.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, N, C)
        for (Block b : blocks) {
            x = b.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, N, C)
        }
        x = norm.forward(ps, new NDList(x), training).singletonOrThrow().mean(new int[] {1}); // (B, C)
        return head.forward(ps, new NDList(x), training); // (B, K)
    }

    private void check(Shape s) {
        InputCheck.imageShape("MlpMixer", s, inChannels, imageSize, imageSize);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0]);
        stem.initialize(manager, dataType, inputShapes[0]);
        Shape tokens = stem.getOutputShapes(inputShapes)[0];
        for (Block b : blocks) {
            b.initialize(manager, dataType, tokens);
            Shape out = b.getOutputShapes(new Shape[] {tokens})[0];
            if (!out.equals(tokens)) {
                throw new IllegalArgumentException("MlpMixer blocks must keep the token shape " + tokens + "; " + b
                        + " gives " + out);
            }
        }
        norm.initialize(manager, dataType, tokens);
        head.initialize(manager, dataType, new Shape(tokens.get(0), embedDim));
    }

    @Override
    protected String describe() {
        return weights;
    }

    @Override
    public String toString() {
        return "MlpMixer(" + blocks.size() + " blocks of " + embedDim + ", image " + imageSize + ", " + numClasses
                + " classes)";
    }
}
