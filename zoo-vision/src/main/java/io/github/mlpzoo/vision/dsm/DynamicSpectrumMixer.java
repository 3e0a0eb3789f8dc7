package io.github.mlpzoo.vision.dsm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.nn.spectral.Dct;
import io.github.mlpzoo.core.ops.Ops;
import io.github.mlpzoo.core.profile.MacCounter;

/**
 * DSM's token mixer, reconstructed from the paper's abstract (no official code): the spectrum of each channel is
 * re-weighted by a filter the input itself selects, then transformed back:
 * <pre>
 *   X̂ = D_h X D_wᵀ                                   2-D orthonormal DCT-II of every channel   (B, C, h, w)
 *   a = softmax_K( fc2(GELU(fc1(mean_hw X))) )       dynamic spectrum weights                   (B, C, K)
 *   M = a · F                                         per-channel mix of K learned filters F    (B, C, h, w)
 *   Y = proj( D_hᵀ (X̂ ⊙ M) D_w )                      inverse DCT, then a 1×1 projection
 * </pre>
 * Dimension letters: B batch, C channels, h×w token grid, K bands. Input and output {@code (B, C, h, w)}. Children
 * {@code fc1} (C → C/r), {@code fc2} (C/r → C·K), {@code proj} (C → C, on the channel axis); parameter
 * {@code filters (K, h, w)}, initialised to ones so that at init the mixer is the identity followed by proj.
 * The DCT matrices are constants built once in Java ({@link Dct}).
 */
final class DynamicSpectrumMixer extends AbstractBlock implements MacCounter {

    private final int channels;
    private final int h;
    private final int w;
    private final int bands;
    private final int hidden;
    private final Linear fc1;
    private final Linear fc2;
    private final Linear proj;
    private final Parameter filters;
    private final float[] dh;
    private final float[] dw;

    DynamicSpectrumMixer(int channels, int h, int w, int bands, int reduction) {
        super((byte) 1);
        this.channels = channels;
        this.h = h;
        this.w = w;
        this.bands = bands;
        this.hidden = channels / reduction;
        fc1 = addChildBlock("fc1", TorchInit.apply(Linear.builder().setUnits(hidden).build()));
        fc2 = addChildBlock("fc2", TorchInit.apply(Linear.builder().setUnits((long) channels * bands).build()));
        proj = addChildBlock("proj", TorchInit.apply(Linear.builder().setUnits(channels).build()));
        filters = addParameter(Parameter.builder().setName("filters").setType(Parameter.Type.OTHER)
                .optShape(new Shape(bands, h, w)).optInitializer(new ConstantInitializer(1f)).build());
        dh = Dct.matrix(h);
        dw = Dct.matrix(w);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        NDManager mgr = x.getManager();
        long b = x.getShape().get(0);
        NDArray mh = mgr.create(dh, new Shape(h, h));
        NDArray mw = mgr.create(dw, new Shape(w, w));
        NDArray spec = Dct.forward2d(x, mh, mw); // (B, C, h, w)
        NDArray s = Ops.mean(x, 2, 3); // (B, C); DJL 0.29 mean takes one axis
        s = Activation.gelu(fc1.forward(ps, new NDList(s), training).singletonOrThrow());
        NDArray a = fc2.forward(ps, new NDList(s), training).singletonOrThrow().reshape(b, channels, bands)
                .softmax(2); // (B, C, K)
        NDArray f = ps.getValue(filters, x.getDevice(), training).reshape(bands, (long) h * w);
        f.attach(mgr);
        NDArray mask = a.matMul(f).reshape(b, channels, h, w); // (B, C, h, w)
        NDArray y = Dct.inverse2d(spec.mul(mask), mh, mw); // (B, C, h, w)
        // made contiguous (flatten + reshape): on a strided view PyTorch's matmul picks its kernel by whether the
        // weight requires a gradient, so a trained and a re-loaded block would differ in the last bit
        y = y.transpose(0, 2, 3, 1).flatten().reshape(b, h, w, channels);
        y = proj.forward(ps, new NDList(y), training).singletonOrThrow(); // (B, h, w, C)
        return new NDList(y.transpose(0, 3, 1, 2));
    }

    private void check(Shape s) {
        InputCheck.shape("DynamicSpectrumMixer", "input (B, C, h, w)", s, InputCheck.ANY, channels, h, w);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0]);
        long b = inputShapes[0].get(0);
        fc1.initialize(manager, dataType, new Shape(b, channels));
        fc2.initialize(manager, dataType, new Shape(b, hidden));
        proj.initialize(manager, dataType, new Shape(b, channels));
    }

    /** {@inheritDoc} The four DCT products {@code 2·C·h·w·(h + w)} and the filter mix {@code C·K·h·w}. */
    @Override
    public long macs(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return b * ((long) 2 * channels * h * w * (h + w) + (long) channels * bands * h * w);
    }
}
