package io.github.mlpzoo.core.nn.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;

/**
 * Patch embedding: a strided convolution that turns an image (or a feature map) into a grid of patch embeddings
 * (Dosovitskiy et al., ViT, ICLR 2021, §3.1; timm {@code layers/patch_embed.py} {@code PatchEmbed}; PoolFormer's
 * {@code PatchEmbed} stem (7×7/4, padding 2) and downsampling layers (3×3/2, padding 1)):
 * <pre>
 *   y = Conv2d(k×k, stride s, padding p, bias)(x)                      (B, D, H', W')
 *   y = flatten(y, 2).transpose(1, 2)         if flatten                 (B, H'·W', D)
 * </pre>
 * with {@code H' = (H + 2p - k) / s + 1}. Dimension letters: B batch, C input channels, H×W input size, D embedding
 * width. With a fixed input size (ViT-style models that bake the token count into their weights), any other size
 * is refused with the expected shape.
 *
 * <p>Parameters: {@code 01proj_weight (D, C, k, k)}, {@code 01proj_bias (D)} (official {@code proj.weight/bias});
 * PyTorch's default convolution initialization.
 */
public final class PatchEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inChannels;
    private final int embedDim;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean flatten;
    private final int imageSize;
    private final Conv2d proj;

    private PatchEmbedding(Builder b) {
        super(VERSION);
        inChannels = b.inChannels;
        embedDim = b.embedDim;
        kernel = b.kernel;
        stride = b.stride;
        padding = b.padding;
        flatten = b.flatten;
        imageSize = b.imageSize;
        proj = addChildBlock("proj", TorchInit.apply(Conv2d.builder().setFilters(embedDim)
                .setKernelShape(new Shape(kernel, kernel)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding)).build()));
    }

    /** A builder; {@code setInChannels}, {@code setEmbedDim} and {@code setKernel} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The output side length for an input side of {@code size}. */
    public long outputSize(long size) {
        return (size + 2L * padding - kernel) / stride + 1;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("PatchEmbedding", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        NDArray y = proj.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, D, H', W')
        if (flatten) {
            Shape s = y.getShape();
            y = y.reshape(s.get(0), embedDim, -1).transpose(0, 2, 1); // (B, H'·W', D)
        }
        return new NDList(y);
    }

    private void check(Shape s) {
        if (imageSize > 0) {
            InputCheck.shape("PatchEmbedding", "input (B, C, H, W)", s, InputCheck.ANY, inChannels, imageSize,
                    imageSize);
        } else {
            InputCheck.shape("PatchEmbedding", "input (B, C, H, W)", s, InputCheck.ANY, inChannels, InputCheck.ANY,
                    InputCheck.ANY);
            if (s.get(2) + 2L * padding < kernel || s.get(3) + 2L * padding < kernel) {
                throw new IllegalArgumentException(String.format(
                        "PatchEmbedding expects input (B, %d, H, W) with H and W >= %d (kernel %d, padding %d); got %s",
                        inChannels, kernel - 2 * padding, kernel, padding, s));
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        check(s);
        long h = outputSize(s.get(2));
        long w = outputSize(s.get(3));
        return new Shape[] {flatten ? new Shape(s.get(0), h * w, embedDim) : new Shape(s.get(0), embedDim, h, w)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0]);
        proj.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public String toString() {
        return String.format("PatchEmbedding(%d -> %d, %dx%d/%d, padding %d%s)", inChannels, embedDim, kernel, kernel,
                stride, padding, flatten ? ", flatten" : "");
    }

    /** Builder for {@link PatchEmbedding}. */
    public static final class Builder {
        private int inChannels;
        private int embedDim;
        private int kernel;
        private int stride;
        private int padding;
        private boolean flatten;
        private int imageSize;

        Builder() {}

        /** Input channels C. */
        public Builder setInChannels(int inChannels) {
            this.inChannels = inChannels;
            return this;
        }

        /** Embedding width D (the convolution's filters). */
        public Builder setEmbedDim(int embedDim) {
            this.embedDim = embedDim;
            return this;
        }

        /** Kernel side k; the stride defaults to k (non-overlapping patches). */
        public Builder setKernel(int kernel) {
            this.kernel = kernel;
            return this;
        }

        /** Stride s (default: the kernel side). */
        public Builder optStride(int stride) {
            this.stride = stride;
            return this;
        }

        /** Zero padding p on every side (default 0). */
        public Builder optPadding(int padding) {
            this.padding = padding;
            return this;
        }

        /** Outputs tokens {@code (B, H'·W', D)} instead of a map {@code (B, D, H', W')} (default false). */
        public Builder optFlatten(boolean flatten) {
            this.flatten = flatten;
            return this;
        }

        /** Accepts only square inputs of this side (default: any size). */
        public Builder optImageSize(int imageSize) {
            this.imageSize = imageSize;
            return this;
        }

        /**
         * Builds the block.
         *
         * @throws IllegalArgumentException naming the invalid setting
         */
        public PatchEmbedding build() {
            if (stride == 0) {
                stride = kernel;
            }
            if (inChannels < 1 || embedDim < 1 || kernel < 1 || stride < 1 || padding < 0 || imageSize < 0) {
                throw new IllegalArgumentException(String.format(
                        "PatchEmbedding needs inChannels, embedDim, kernel, stride >= 1, padding >= 0 and imageSize "
                                + ">= 0; got inChannels=%d, embedDim=%d, kernel=%d, stride=%d, padding=%d, imageSize=%d",
                        inChannels, embedDim, kernel, stride, padding, imageSize));
            }
            if (imageSize > 0 && imageSize + 2 * padding < kernel) {
                throw new IllegalArgumentException("PatchEmbedding imageSize " + imageSize + " is smaller than kernel "
                        + kernel + " minus twice the padding " + padding);
            }
            return new PatchEmbedding(this);
        }
    }
}
