package io.github.mlpzoo.core.nn.ctr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The MLP tower of the CTR libraries: for each hidden width {@code u_i},
 * {@code Linear(u_i) → [BatchNorm1d] → activation → [Dropout]}, then optionally an output {@code Linear(outputUnits)}
 * (with or without bias) and an output activation. This is FuxiCTR's {@code MLP_Block}
 * ({@code fuxictr/pytorch/layers/blocks/mlp_block.py}) and DeepCTR-Torch's {@code DNN}
 * ({@code deepctr_torch/layers/core.py}; there Dice gets one instance per layer, as here).
 *
 * <p>Shapes: input {@code (B, dIn)} or {@code (B, T, dIn)}; output the same with the last axis {@code outputUnits}
 * (or the last hidden width when there is no output layer). Children, in order: per hidden layer {@code linear},
 * then {@code norm} if batch norm is on, then {@code dice} if the activation is Dice; then {@code output}. So the
 * first hidden Linear is {@code 01linear}, and e.g. with Dice the first Dice is {@code 02dice}.
 */
public final class Tower extends DescribedBlock {

    private static final byte VERSION = 1;

    /** The activations the CTR towers use. */
    public enum Act {
        NONE, RELU, SIGMOID, DICE
    }

    private final int[] hidden;
    private final Act activation;
    private final boolean batchNorm;
    private final float dropout;
    private final int outputUnits;
    private final Act outputActivation;
    private final List<Linear> linears = new ArrayList<>();
    private final List<BatchNorm1d> norms = new ArrayList<>();
    private final List<Dice> dices = new ArrayList<>();
    private final Linear output;

    private Tower(Builder b) {
        super(VERSION);
        hidden = b.hidden.clone();
        activation = b.activation;
        batchNorm = b.batchNorm;
        dropout = b.dropout;
        outputUnits = b.outputUnits;
        outputActivation = b.outputActivation;
        for (int units : hidden) {
            linears.add(addChildBlock("linear", b.init.apply(Linear.builder().setUnits(units).build(), b.std)));
            if (batchNorm) {
                norms.add(addChildBlock("norm", new BatchNorm1d(units, 1e-5f)));
            }
            if (activation == Act.DICE) {
                dices.add(addChildBlock("dice", new Dice(units)));
            }
        }
        output = outputUnits > 0
                ? addChildBlock("output", b.init.apply(Linear.builder().setUnits(outputUnits)
                        .optBias(b.outputBias).build(), b.std))
                : null;
    }

    /** A builder; {@link Builder#setHidden} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The width of the last axis of the output for an input of width {@code dIn}. */
    public int outputWidth(int dIn) {
        return output != null ? outputUnits : hidden.length > 0 ? hidden[hidden.length - 1] : dIn;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        checkInputWidth(x.getShape());
        for (int i = 0; i < hidden.length; i++) {
            x = linears.get(i).forward(ps, new NDList(x), training).singletonOrThrow();
            if (batchNorm) {
                x = norms.get(i).forward(ps, new NDList(x), training).singletonOrThrow();
            }
            x = activation == Act.DICE
                    ? dices.get(i).forward(ps, new NDList(x), training).singletonOrThrow()
                    : apply(activation, x);
            if (dropout > 0f) {
                x = Dropout.dropout(x, dropout, training).singletonOrThrow();
            }
        }
        if (output != null) {
            x = apply(outputActivation, output.forward(ps, new NDList(x), training).singletonOrThrow());
        }
        return new NDList(x);
    }

    /** The last axis must be the width the first Linear was initialized for (checked before any native op). */
    private void checkInputWidth(Shape in) {
        Linear first = hidden.length > 0 ? linears.get(0) : output;
        if (first == null || !first.isInitialized()) {
            return;
        }
        long dIn = first.getParameters().get("weight").getArray().getShape().get(1);
        long[] expected = new long[Math.max(in.dimension(), 2)];
        java.util.Arrays.fill(expected, io.github.mlpzoo.core.nn.InputCheck.ANY);
        expected[expected.length - 1] = dIn;
        io.github.mlpzoo.core.nn.InputCheck.shape("Tower", "input", in, expected);
    }

    private static NDArray apply(Act act, NDArray x) {
        return switch (act) {
            case NONE -> x;
            case RELU -> Activation.relu(x);
            case SIGMOID -> Activation.sigmoid(x);
            case DICE -> throw new IllegalStateException("Dice has parameters; it is a child block");
        };
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() < 2) {
            throw new IllegalArgumentException("Tower expects input (B, ..., dIn) of rank >= 2; got rank "
                    + in.dimension() + " " + in);
        }
        int width = outputWidth((int) in.get(in.dimension() - 1));
        return new Shape[] {in.slice(0, in.dimension() - 1).add(width)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        Shape lead = in.slice(0, in.dimension() - 1);
        for (int i = 0; i < hidden.length; i++) {
            linears.get(i).initialize(manager, dataType, in);
            in = lead.add(hidden[i]);
            if (batchNorm) {
                norms.get(i).initialize(manager, dataType, in);
            }
            if (activation == Act.DICE) {
                dices.get(i).initialize(manager, dataType, in);
            }
        }
        if (output != null) {
            output.initialize(manager, dataType, in);
        }
    }

    /** The child blocks in registration order (for key maps and tests). */
    List<Block> layers() {
        return new ArrayList<>(getChildren().values());
    }

    @Override
    protected String describe() { // dropout acts only in training: towers that differ in it share weights
        return "Tower(hidden=" + Arrays.toString(hidden) + ", " + activation + ", bn=" + batchNorm + ", output="
                + outputUnits + " " + outputActivation + ")";
    }

    @Override
    public String toString() {
        return "Tower(hidden=" + Arrays.toString(hidden) + ", " + activation + ", bn=" + batchNorm + ", dropout="
                + dropout + ", output=" + outputUnits + " " + outputActivation + ")";
    }

    /** Builder for {@link Tower}. */
    public static final class Builder {
        private int[] hidden;
        private Act activation = Act.RELU;
        private boolean batchNorm;
        private float dropout;
        private int outputUnits;
        private boolean outputBias = true;
        private Act outputActivation = Act.NONE;
        private LinearInit init = LinearInit.TORCH_DEFAULT;
        private float std = 1e-4f;

        Builder() {}

        /** The hidden widths (may be empty). */
        public Builder setHidden(int... hidden) {
            this.hidden = hidden.clone();
            return this;
        }

        /** The hidden activation (default ReLU). */
        public Builder optActivation(Act activation) {
            this.activation = activation;
            return this;
        }

        /** PyTorch BatchNorm1d after each hidden Linear (default off). */
        public Builder optBatchNorm(boolean batchNorm) {
            this.batchNorm = batchNorm;
            return this;
        }

        /** Dropout after each hidden activation (default 0). */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /** An output Linear of {@code units} ({@code bias} or not) and its activation ({@link Act#NONE} or SIGMOID). */
        public Builder optOutput(int units, boolean bias, Act activation) {
            this.outputUnits = units;
            this.outputBias = bias;
            this.outputActivation = activation;
            return this;
        }

        /** How every Linear is initialized; {@code std} for {@link LinearInit#NORMAL}. */
        public Builder optInit(LinearInit init, float std) {
            this.init = init;
            this.std = std;
            return this;
        }

        /**
         * Builds the tower.
         *
         * @throws IllegalArgumentException naming the invalid setting
         */
        public Tower build() {
            if (hidden == null) {
                throw new IllegalArgumentException("Tower needs setHidden (the hidden widths, may be empty)");
            }
            for (int u : hidden) {
                if (u < 1) {
                    throw new IllegalArgumentException("Tower hidden widths must be >= 1; got " + Arrays.toString(hidden));
                }
            }
            if (!(dropout >= 0f && dropout < 1f)) {
                throw new IllegalArgumentException("Tower dropout must be in [0, 1); got " + dropout);
            }
            if (outputUnits < 0 || outputActivation == Act.DICE) {
                throw new IllegalArgumentException("Tower output needs units >= 0 and activation NONE, RELU or SIGMOID");
            }
            return new Tower(this);
        }
    }
}
