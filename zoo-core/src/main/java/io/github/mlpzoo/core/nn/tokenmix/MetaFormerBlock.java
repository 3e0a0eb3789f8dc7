package io.github.mlpzoo.core.nn.tokenmix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.residual.DropPath;
import io.github.mlpzoo.core.nn.residual.LayerScale;
import io.github.mlpzoo.core.ops.Intermediates;

/**
 * The MetaFormer block (Yu et al., <i>MetaFormer Is Actually What You Need for Vision</i>, CVPR 2022, §3.1,
 * eq. 1–3): two pre-norm residual sub-blocks, the first mixing tokens, the second mixing channels, each with an
 * optional layer scale and stochastic depth:
 * <pre>
 *   x = x + DropPath(LayerScale1(TokenMixer(Norm1(x))))
 *   x = x + DropPath(LayerScale2(ChannelMlp(Norm2(x))))
 * </pre>
 * MLP-Mixer's block is this with LayerNorm, a {@link TokenMixingMlp} and no layer scale (timm
 * {@code MixerBlock}); PoolFormer's is this with {@code GroupNorm(1, C)}, a {@link PoolingTokenMixer} and layer
 * scale on axis 1 (sail-sg/poolformer {@code PoolFormerBlock}).
 *
 * <p>Shapes: the input of any shape the four sub-blocks accept and preserve, e.g. {@code (B, N, C)} or
 * {@code (B, C, H, W)}; output the same. Children in order: {@code norm1}, {@code tokenMixer}, {@code norm2},
 * {@code mlp}, then {@code layerScale1}, {@code layerScale2} if layer scale is on; so the parameters are
 * {@code 01norm1_*}, {@code 02tokenMixer_*}, {@code 03norm2_*}, {@code 04mlp_*}, {@code 05layerScale1_gamma},
 * {@code 06layerScale2_gamma}.
 */
public final class MetaFormerBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block norm1;
    private final Block tokenMixer;
    private final Block norm2;
    private final Block mlp;
    private final LayerScale layerScale1;
    private final LayerScale layerScale2;
    private final float dropPath;

    private MetaFormerBlock(Builder b) {
        super(VERSION);
        norm1 = addChildBlock("norm1", b.norm1);
        tokenMixer = addChildBlock("tokenMixer", b.tokenMixer);
        norm2 = addChildBlock("norm2", b.norm2);
        mlp = addChildBlock("mlp", b.mlp);
        if (b.layerScaleChannels > 0) {
            layerScale1 = addChildBlock("layerScale1",
                    new LayerScale(b.layerScaleChannels, b.layerScaleInit, b.channelsFirst));
            layerScale2 = addChildBlock("layerScale2",
                    new LayerScale(b.layerScaleChannels, b.layerScaleInit, b.channelsFirst));
        } else {
            layerScale1 = null;
            layerScale2 = null;
        }
        dropPath = b.dropPath;
    }

    /** A builder; the two norms, the token mixer and the channel MLP are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The stochastic-depth rate of both residual branches. */
    public float dropPath() {
        return dropPath;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("MetaFormerBlock", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        getOutputShapes(new Shape[] {x.getShape()}); // the sub-blocks validate the shape before any native op
        NDArray mixed = residual(x, branch(ps, x, norm1, tokenMixer, layerScale1, training), layerScale1, training);
        NDArray out = residual(mixed, branch(ps, mixed, norm2, mlp, layerScale2, training), layerScale2, training);
        Intermediates.release(mixed, x, out);
        return new NDList(out);
    }

    /**
     * x + h; in place on h when h is a tensor this block made (a layer-scale or drop-path product, whose backward
     * keeps only its inputs), which saves a full-size allocation per residual; otherwise a new tensor, since a
     * sub-block may hand back an array it does not own.
     */
    private NDArray residual(NDArray x, NDArray h, LayerScale scale, boolean training) {
        boolean fresh = scale != null || (training && dropPath > 0f);
        if (fresh) {
            return h.addi(x);
        }
        NDArray sum = x.add(h);
        Intermediates.release(h, x);
        return sum;
    }

    private NDArray branch(ParameterStore ps, NDArray x, Block norm, Block f, LayerScale scale, boolean training) {
        NDArray n = norm.forward(ps, new NDList(x), training).singletonOrThrow();
        NDArray h = f.forward(ps, new NDList(n), training).singletonOrThrow();
        Intermediates.release(n, x, h);
        if (!h.getShape().equals(x.getShape())) {
            throw new IllegalStateException("MetaFormerBlock: a residual branch must keep the shape " + x.getShape()
                    + "; it gave " + h.getShape());
        }
        if (scale != null) {
            NDArray scaled = scale.forward(ps, new NDList(h), training).singletonOrThrow();
            Intermediates.release(h, x, scaled);
            h = scaled;
        }
        NDArray dropped = DropPath.dropPath(h, dropPath, training);
        if (dropped != h) {
            Intermediates.release(h, x);
        }
        return dropped;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        for (Block b : new Block[] {norm1, tokenMixer, norm2, mlp}) {
            Shape out = b.getOutputShapes(new Shape[] {s})[0];
            if (!out.equals(s)) {
                throw new IllegalArgumentException("MetaFormerBlock expects sub-blocks that keep the input shape " + s
                        + "; " + b + " gives " + out);
            }
        }
        return new Shape[] {s};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        getOutputShapes(inputShapes);
        for (Block b : new Block[] {norm1, tokenMixer, norm2, mlp}) {
            b.initialize(manager, dataType, inputShapes);
        }
        if (layerScale1 != null) {
            layerScale1.initialize(manager, dataType, inputShapes);
            layerScale2.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public String toString() {
        return "MetaFormerBlock(" + tokenMixer + ", " + mlp + (layerScale1 != null ? ", layer scale" : "")
                + ", drop path " + dropPath + ")";
    }

    /** Builder for {@link MetaFormerBlock}. */
    public static final class Builder {
        private Block norm1;
        private Block tokenMixer;
        private Block norm2;
        private Block mlp;
        private int layerScaleChannels;
        private float layerScaleInit;
        private boolean channelsFirst;
        private float dropPath;

        Builder() {}

        /** The norm before the token mixer. */
        public Builder setNorm1(Block norm1) {
            this.norm1 = norm1;
            return this;
        }

        /** The token mixer; it must keep the shape. */
        public Builder setTokenMixer(Block tokenMixer) {
            this.tokenMixer = tokenMixer;
            return this;
        }

        /** The norm before the channel MLP. */
        public Builder setNorm2(Block norm2) {
            this.norm2 = norm2;
            return this;
        }

        /** The channel MLP; it must keep the shape. */
        public Builder setMlp(Block mlp) {
            this.mlp = mlp;
            return this;
        }

        /**
         * Scales both branches by a learnable per-channel {@link LayerScale} of {@code channels} channels, starting
         * at {@code init}, on axis 1 if {@code channelsFirst} else on the last axis (default: no layer scale).
         */
        public Builder optLayerScale(int channels, float init, boolean channelsFirst) {
            this.layerScaleChannels = channels;
            this.layerScaleInit = init;
            this.channelsFirst = channelsFirst;
            return this;
        }

        /** Stochastic depth rate of both branches, in [0, 1) (default 0). */
        public Builder optDropPath(float dropPath) {
            this.dropPath = dropPath;
            return this;
        }

        /**
         * Builds the block.
         *
         * @throws IllegalArgumentException naming what is missing or invalid
         */
        public MetaFormerBlock build() {
            if (norm1 == null || tokenMixer == null || norm2 == null || mlp == null) {
                throw new IllegalArgumentException("MetaFormerBlock needs norm1, tokenMixer, norm2 and mlp; missing "
                        + (norm1 == null ? "norm1" : tokenMixer == null ? "tokenMixer" : norm2 == null ? "norm2" : "mlp"));
            }
            if (!(dropPath >= 0f && dropPath < 1f)) {
                throw new IllegalArgumentException("MetaFormerBlock dropPath must be in [0, 1); got " + dropPath);
            }
            return new MetaFormerBlock(this);
        }
    }
}
