package io.github.mlpzoo.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/**
 * PyTorch's default initialization of {@code nn.Linear} and {@code nn.Conv*d} ({@code reset_parameters}) for DJL
 * blocks: the weight from {@code kaiming_uniform_(a=sqrt(5))}, which is U(-1/√fan_in, 1/√fan_in), and the bias
 * from U(-1/√fan_in, 1/√fan_in), where {@code fan_in = weight.shape[1] * prod(weight.shape[2:])} (input features,
 * or input channels per group times the kernel size).
 *
 * <p>DJL's own default differs (He-normal weights, zero biases; see {@code reference/djl.md} §3), so a model that
 * reproduces a PyTorch paper sets this explicitly:
 * <pre>{@code
 * Linear fc = TorchInit.apply(Linear.builder().setUnits(208).build());
 * }</pre>
 * The bias bound comes from the weight's shape, which DJL only knows once the block is initialized; the
 * initializers of one {@link #apply} call share it, relying on DJL initializing each Linear/Convolution weight
 * before its bias (both register the weight first). Applied to a composite block, every Linear/Convolution inside
 * gets the PyTorch default; so would any other parameter of type WEIGHT or BIAS, so apply it to the layers that
 * PyTorch initializes this way.
 */
public final class TorchInit {

    private TorchInit() {}

    /** Sets PyTorch's default initializers on {@code block}'s weights and biases; returns {@code block}. */
    public static <B extends Block> B apply(B block) {
        FanIn fanIn = new FanIn();
        block.setInitializer(new WeightInit(fanIn), Parameter.Type.WEIGHT);
        block.setInitializer(new BiasInit(fanIn), Parameter.Type.BIAS);
        return block;
    }

    /** The bound {@code 1/sqrt(fanIn)} of both uniform distributions. */
    public static double bound(long fanIn) {
        if (fanIn < 1) {
            throw new IllegalArgumentException("fan_in must be >= 1; got " + fanIn);
        }
        return 1.0 / Math.sqrt(fanIn);
    }

    /** The fan-in of the last weight initialized, read by the bias that follows it. */
    private static final class FanIn {
        long value = -1;
    }

    private static final class WeightInit implements Initializer {
        private final FanIn fanIn;

        WeightInit(FanIn fanIn) {
            this.fanIn = fanIn;
        }

        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            if (shape.dimension() < 2) {
                throw new IllegalArgumentException(
                        "TorchInit expects a weight of rank >= 2 (out, in, kernel...); got " + shape);
            }
            long in = shape.size() / shape.get(0);
            fanIn.value = in;
            float b = (float) bound(in);
            return manager.randomUniform(-b, b, shape, dataType);
        }
    }

    private static final class BiasInit implements Initializer {
        private final FanIn fanIn;

        BiasInit(FanIn fanIn) {
            this.fanIn = fanIn;
        }

        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            if (fanIn.value < 1) {
                throw new IllegalStateException(
                        "TorchInit: a bias " + shape + " was initialized before its weight; the bias bound needs "
                                + "the weight's fan-in");
            }
            float b = (float) bound(fanIn.value);
            return manager.randomUniform(-b, b, shape, dataType);
        }
    }
}
