package io.github.mlpzoo.vision.dsm;

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
import io.github.mlpzoo.core.nn.tokenmix.MetaFormerBlock;
import io.github.mlpzoo.core.nn.vision.ConvMlp;
import io.github.mlpzoo.core.nn.vision.GroupNorm;
import io.github.mlpzoo.core.nn.vision.PatchEmbedding;
import io.github.mlpzoo.core.ops.Ops;
import io.github.mlpzoo.core.zoo.Configs;

import java.util.ArrayList;
import java.util.List;

/**
 * DSM, the Dynamic Spectrum Mixer (Hu &amp; Yu, arXiv 2309.06721), <b>reconstructed</b>: no official code, weights,
 * equations or variant table were available, only the abstract (token interactions in the frequency domain by the
 * DCT; a dynamic spectrum weight generation layer that selects informative frequency bands). Our model:
 * <pre>
 *   x = PatchEmbed_{p×p/p}(img)                                      (B, C, h, w)
 *   x = x + DropPath(DSMixer(GN(x)));  x = x + DropPath(MLP(GN(x)))  × depth     (MetaFormer block)
 *   y = head(LN(mean_hw x))                                          (B, K)
 * </pre>
 * Assumptions, each ours: (1) an isotropic MetaFormer-style network (one stage, no down-sampling), as the abstract
 * gives no hierarchy; (2) the 2-D DCT-II over the token grid, orthonormal, applied per channel, computed as
 * {@code D_h X D_wᵀ} ({@link io.github.mlpzoo.core.nn.spectral.Dct}); (3) "dynamic spectrum weight generation" as
 * K learned full-resolution spectral filters mixed per channel by softmax weights computed from the channel's global
 * average (squeeze-and-excitation style MLP, reduction r, GELU), so the weights depend on the content; (4) the inverse
 * DCT then a channel projection; (5) GroupNorm(1, C) pre-norms and a 1×1-conv MLP (ratio 4, GELU) as PoolFormer;
 * (6) a LayerNorm after global average pooling, then a linear head; (7) PyTorch's default Linear/Conv init and
 * all-ones filters (the mixer starts as a channel projection). Figures from this model are not the paper's.
 */
public final class Dsm extends DescribedBlock {

    private static final byte VERSION = 1;

    private final DsmConfig config;
    private final PatchEmbedding stem;
    private final List<Block> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear head;

    private Dsm(DsmConfig c) {
        super(VERSION);
        this.config = c;
        stem = addChildBlock("stem", PatchEmbedding.builder().setInChannels(c.inChannels()).setEmbedDim(c.embedDim())
                .setKernel(c.patchSize()).build());
        for (int i = 0; i < c.depth(); i++) {
            float dpr = c.depth() == 1 ? 0f : c.dropPath() * i / (c.depth() - 1);
            blocks.add(addChildBlock("block", MetaFormerBlock.builder()
                    .setNorm1(GroupNorm.singleGroup(c.embedDim()))
                    .setTokenMixer(new DynamicSpectrumMixer(c.embedDim(), c.grid(), c.grid(), c.bands(),
                            c.reduction()))
                    .setNorm2(GroupNorm.singleGroup(c.embedDim()))
                    .setMlp(new ConvMlp(c.embedDim(), c.mlpRatio() * c.embedDim(), 0f))
                    .optDropPath(dpr)
                    .build()));
        }
        norm = addChildBlock("norm", LayerNorm.builder().axis(1).build());
        head = addChildBlock("head", TorchInit.apply(Linear.builder().setUnits(c.numClasses()).build()));
    }

    /** DSM for {@code config}. */
    public static Dsm of(DsmConfig config) {
        return new Dsm(config);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = InputCheck.image("Dsm", inputs);
        check(x.getShape());
        x = stem.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, C, h, w)
        for (Block b : blocks) {
            x = b.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        x = norm.forward(ps, new NDList(Ops.mean(x, 2, 3)), training).singletonOrThrow(); // (B, C)
        return head.forward(ps, new NDList(x), training); // (B, K)
    }

    private void check(Shape s) {
        InputCheck.imageShape("Dsm", s, config.inChannels(), config.imageSize(), config.imageSize());
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
        Shape grid = stem.getOutputShapes(inputShapes)[0];
        for (Block b : blocks) {
            b.initialize(manager, dataType, grid);
        }
        Shape pooled = new Shape(inputShapes[0].get(0), config.embedDim());
        norm.initialize(manager, dataType, pooled);
        head.initialize(manager, dataType, pooled);
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "Dsm(" + config.depth() + " blocks of " + config.embedDim() + ", " + config.grid() + "x"
                + config.grid() + " tokens, " + config.bands() + " bands)";
    }
}
