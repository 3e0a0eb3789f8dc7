package io.github.mlpzoo.core.nn.ctr;

import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;

import io.github.mlpzoo.core.nn.TorchInit;

/**
 * How the CTR libraries initialize a {@code Linear}:
 * <ul>
 *   <li>{@link #TORCH_DEFAULT}: PyTorch's default (uniform, bound 1/sqrt(fan_in)) for weight and bias.</li>
 *   <li>{@link #NORMAL}: DeepCTR-Torch's {@code DNN}: weight N(0, std), bias PyTorch's default
 *       ({@code deepctr_torch/layers/core.py}, {@code DNN.__init__}).</li>
 *   <li>{@link #XAVIER_NORMAL}: FuxiCTR's {@code BaseModel.reset_parameters}: weight xavier_normal
 *       (std = sqrt(2 / (fan_in + fan_out))), bias 0.</li>
 * </ul>
 */
public enum LinearInit {
    TORCH_DEFAULT,
    NORMAL,
    XAVIER_NORMAL;

    /** Sets this initialization on {@code linear} ({@code std} is used by {@link #NORMAL} only); returns it. */
    public Linear apply(Linear linear, float std) {
        TorchInit.apply(linear);
        switch (this) {
            case NORMAL -> {
                // the weight records its fan-in for PyTorch's default bias bound 1/sqrt(fan_in)
                long[] fanIn = {-1};
                linear.setInitializer((m, s, t) -> {
                    fanIn[0] = s.get(1);
                    return m.randomNormal(0f, std, s, t);
                }, Parameter.Type.WEIGHT);
                linear.setInitializer((m, s, t) -> {
                    if (fanIn[0] < 1) {
                        throw new IllegalStateException("a Linear bias was initialized before its weight");
                    }
                    float bound = (float) TorchInit.bound(fanIn[0]);
                    return m.randomUniform(-bound, bound, s, t);
                }, Parameter.Type.BIAS);
            }
            case XAVIER_NORMAL -> {
                linear.setInitializer(xavierNormal(), Parameter.Type.WEIGHT);
                linear.setInitializer((m, s, t) -> m.zeros(s, t), Parameter.Type.BIAS);
            }
            default -> { }
        }
        return linear;
    }

    /** N(0, std). */
    public static Initializer normal(float std) {
        return (m, s, t) -> m.randomNormal(0f, std, s, t);
    }

    /**
     * PyTorch's {@code xavier_normal_} for a 2-D tensor (rows, cols): fan_in = cols, fan_out = rows, std =
     * sqrt(2 / (fan_in + fan_out)).
     */
    public static Initializer xavierNormal() {
        return (m, s, t) -> {
            if (s.dimension() != 2) {
                throw new IllegalArgumentException("xavier_normal expects a 2-D parameter; got " + s);
            }
            float std = (float) Math.sqrt(2.0 / (s.get(0) + s.get(1)));
            return m.randomNormal(0f, std, s, t);
        };
    }
}
