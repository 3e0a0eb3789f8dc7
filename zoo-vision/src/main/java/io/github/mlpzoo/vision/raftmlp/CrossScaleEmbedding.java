package io.github.mlpzoo.vision.raftmlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;

/**
 * RaftMLP's cross-scale MLP embedding (paper §3.3; official {@code CrossScaleMLPEmbedding}): for each kernel
 * {@code k_j = p · 2^j}, the {@code k_j × k_j} patches around every stride-p position ({@code nn.Unfold} with padding
 * {@code (k_j - p) / 2}) are concatenated and projected by one Linear {@code fc: C·Σ k_j² → D}. As the unfolded
 * channel order is {@code c·k² + row·k + col}, this equals a sum of strided convolutions whose kernels are slices of
 * {@code fc.weight} reshaped to {@code (D, C, k_j, k_j)}, which is how it is computed here (no unfold op needed).
 *
 * <p>Shapes: input {@code (B, C, H, W)} with H, W multiples of p, output {@code (B, D, H/p, W/p)}. Child
 * {@code 01fc}, a Linear holding the official {@code fc.weight (D, C·Σk²)} and {@code fc.bias (D)} (PyTorch's
 * default initialization); its MACs are counted as the official Linear over the unfolded patches.
 */
final class CrossScaleEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inChannels;
    private final int dim;
    private final int patch;
    private final int[] kernels;
    private final int features;
    private final Linear fc;

    CrossScaleEmbedding(int inChannels, int dim, int patch, int scales) {
        super(VERSION);
        this.inChannels = inChannels;
        this.dim = dim;
        this.patch = patch;
        kernels = new int[scales];
        int f = 0;
        for (int j = 0; j < scales; j++) {
            kernels[j] = patch << j;
            f += kernels[j] * kernels[j];
        }
        features = f * inChannels;
        fc = addChildBlock("fc", TorchInit.apply(Linear.builder().setUnits(dim).build()));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        Parameter wp = fc.getParameters().get("weight");
        Parameter bp = fc.getParameters().get("bias");
        NDArray w = ps.getValue(wp, x.getDevice(), training); // (D, C·Σk²)
        NDArray bias = ps.getValue(bp, x.getDevice(), training).reshape(1, dim, 1, 1);
        bias.attach(x.getManager());
        NDArray y = null;
        int off = 0;
        Shape stride = new Shape(patch, patch);
        Shape dilation = new Shape(1, 1);
        for (int k : kernels) {
            int n = inChannels * k * k;
            NDArray slice = w.get(new NDIndex(":, {}:{}", off, off + n));
            slice.attach(x.getManager()); // a view of the parameter would otherwise stay in the parameter's manager
            NDArray wk = slice.reshape(dim, inChannels, k, k);
            int pad = (k - patch) / 2;
            NDArray part = Conv2d.conv2d(x, wk, null, stride, new Shape(pad, pad), dilation, 1).singletonOrThrow();
            y = y == null ? part : y.add(part);
            off += n;
        }
        return new NDList(y.add(bias)); // (B, D, H/p, W/p)
    }

    private void check(Shape s) {
        InputCheck.shape("CrossScaleEmbedding", "input (B, C, H, W)", s, InputCheck.ANY, inChannels, InputCheck.ANY,
                InputCheck.ANY);
        if (s.get(2) % patch != 0 || s.get(3) % patch != 0) {
            throw new IllegalArgumentException(String.format(
                    "CrossScaleEmbedding expects H and W multiples of the patch size %d; got %s", patch, s));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        check(s);
        return new Shape[] {new Shape(s.get(0), dim, s.get(2) / patch, s.get(3) / patch)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        check(s);
        fc.initialize(manager, dataType, new Shape(s.get(0), (s.get(2) / patch) * (s.get(3) / patch), features));
    }

    @Override
    public String toString() {
        return "CrossScaleEmbedding(" + inChannels + " -> " + dim + ", kernels " + java.util.Arrays.toString(kernels)
                + ", stride " + patch + ")";
    }
}
