package io.github.mlpzoo.timeseries.patchtsmixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.nn.mixer.GatedAttention;

/**
 * The cross-channel forecast reconciliation head of TSMixer (Ekambaram et al., KDD 2023, §4.3, "online forecast
 * reconciliation"), which Hugging Face's PatchTSMixer does not ship ({@code granite-tsfm} issue 87), written from
 * the paper. On the channel-independent base forecast ŷ (B, H, C), in the scaled space, each forecast step t is
 * revised from the forecasts of all channels in the window [t − w, t + w]:
 * <pre>
 *   z_t = flatten(ŷ[t−w .. t+w, :])                      ((2w+1)·C), steps outside [0, H) are zeros
 *   ŷ_rec[t, :] = ŷ[t, :] + Linear(GatedAttention(z_t))  (C), the same weights for every t
 * </pre>
 * Shapes: input (B, H, C), output the same. Assumed where the paper leaves it open: zero padding at the ends of
 * the horizon (zero is the window mean after std scaling), the gate of {@link GatedAttention} before the linear
 * layer, and the residual to the base forecast; PyTorch's default init. Children {@code gate}, {@code linear}.
 */
public final class CrossChannelReconciliation extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    private final int horizon;
    private final int channels;
    private final int context;
    private final GatedAttention gate;
    private final Linear linear;

    /** The head for forecasts of {@code horizon} steps and {@code channels} channels, looking {@code context} steps to each side. */
    public CrossChannelReconciliation(int horizon, int channels, int context) {
        super(VERSION);
        if (horizon < 1 || channels < 1 || context < 1) {
            throw new IllegalArgumentException("CrossChannelReconciliation needs horizon, channels, context >= 1; got "
                    + horizon + ", " + channels + ", " + context);
        }
        this.horizon = horizon;
        this.channels = channels;
        this.context = context;
        gate = addChildBlock("gate", new GatedAttention((2 * context + 1) * channels));
        linear = addChildBlock("linear", TorchInit.apply(Linear.builder().setUnits(channels).build()));
    }

    /** Trainable parameters of the head for {@code context} w (0 if w = 0) and C channels. */
    public static long parameterCount(int context, int channels) {
        if (context == 0) {
            return 0;
        }
        long k = (2L * context + 1) * channels;
        return k * k + k + k * channels + channels;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("CrossChannelReconciliation", inputs, 1);
        NDArray y = inputs.singletonOrThrow();
        check(y.getShape());
        long b = y.getShape().get(0);
        NDArray pad = y.getManager().zeros(new Shape(b, context, channels), y.getDataType(), y.getDevice());
        NDArray padded = NDArrays.concat(new NDList(pad, y, pad), 1);               // (B, H + 2w, C)
        NDList windows = new NDList();
        for (int k = 0; k <= 2 * context; k++) {
            windows.add(padded.get(new NDIndex(":, {}:{}", k, k + horizon)));        // step t + k − w
        }
        NDArray z = NDArrays.concat(windows, 2);                                     // (B, H, (2w+1)·C)
        z = gate.forward(ps, new NDList(z), training).singletonOrThrow();
        return new NDList(y.add(linear.forward(ps, new NDList(z), training).singletonOrThrow()));
    }

    private void check(Shape s) {
        InputCheck.shape("CrossChannelReconciliation", "forecast (B, H, C)", s, InputCheck.ANY, horizon, channels);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0]);
        Shape z = new Shape(inputShapes[0].get(0), horizon, (2L * context + 1) * channels);
        gate.initialize(manager, dataType, z);
        linear.initialize(manager, dataType, z);
    }

    @Override
    public String toString() {
        return "CrossChannelReconciliation(horizon " + horizon + ", channels " + channels + ", context " + context + ")";
    }
}
