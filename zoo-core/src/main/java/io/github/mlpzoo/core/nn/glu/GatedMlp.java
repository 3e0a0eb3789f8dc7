package io.github.mlpzoo.core.nn.glu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;

/**
 * A gated channel MLP: one linear layer to twice the gated width, a gate that halves it, and a linear layer back.
 * <pre>
 *   z = W1 x + b1                        (..., 2h)      one fused Linear, as timm's GluMlp/GatedMlp store it
 *   z = GELU(z)                          only with a gate block and preActivation (gMLP)
 *   g = gate(z)                          (..., h)
 *   y = Dropout(W2 · Dropout(g) + b2)   (..., out)
 * </pre>
 * The gate is one of:
 * <ul>
 *   <li>the GLU family (Dauphin et al. 2017; Shazeer, <i>GLU Variants Improve Transformer</i>, 2020, eq. 5–6):
 *       {@code a, b = split(z); g = a ⊙ σ(b)}, with σ = sigmoid (GLU), ReLU (ReGLU), GELU (GEGLU),
 *       Swish/SiLU (SwiGLU) or the identity (bilinear); the first half is the value, the second the gate, as in
 *       timm {@code layers/mlp.py} {@code GluMlp};</li>
 *   <li>a block mapping {@code (..., 2h)} to {@code (..., h)}: gMLP's gated MLP (Liu et al., NeurIPS 2021, §2; timm
 *       {@code GatedMlp}) is {@code fc1 → GELU → SpatialGatingUnit → fc2}.</li>
 * </ul>
 * Shapes: input {@code (..., in)}, output {@code (..., out)}. Parameters {@code 01fc1_weight (2h, in)},
 * {@code 01fc1_bias}, the gate block's as {@code 02gate_*}, then {@code fc2_weight (out, h)}, {@code fc2_bias}
 * ({@code 02fc2_*} without a gate block, {@code 03fc2_*} with one); official {@code fc1.*}, {@code gate.*},
 * {@code fc2.*}. PyTorch's default Linear initialization.
 */
public final class GatedMlp extends AbstractBlock {

    private static final byte VERSION = 1;

    /** The GLU family: the activation applied to the gate half. */
    public enum Glu {
        /** σ = sigmoid. */
        GLU,
        /** σ = ReLU. */
        REGLU,
        /** σ = exact GELU. */
        GEGLU,
        /** σ = Swish with β = 1 (SiLU). */
        SWIGLU,
        /** σ = identity. */
        BILINEAR;

        NDArray apply(NDArray x) {
            return switch (this) {
                case GLU -> Activation.sigmoid(x);
                case REGLU -> Activation.relu(x);
                case GEGLU -> Activation.gelu(x);
                case SWIGLU -> x.mul(Activation.sigmoid(x));
                case BILINEAR -> x;
            };
        }
    }

    private final int in;
    private final int width;
    private final int out;
    private final Glu glu;
    private final boolean preActivation;
    private final float dropout;
    private final Linear fc1;
    private final Block gate;
    private final Linear fc2;

    private GatedMlp(int in, int width, int out, Glu glu, Block gate, boolean preActivation, float dropout) {
        super(VERSION);
        if (in < 1 || width < 1 || out < 1 || !(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException(String.format(
                    "GatedMlp needs in, width, out >= 1 and dropout in [0, 1); got in=%d, width=%d, out=%d, dropout=%s",
                    in, width, out, dropout));
        }
        this.in = in;
        this.width = width;
        this.out = out;
        this.glu = glu;
        this.preActivation = preActivation;
        this.dropout = dropout;
        fc1 = addChildBlock("fc1", TorchInit.apply(Linear.builder().setUnits(2L * width).build()));
        this.gate = gate == null ? null : addChildBlock("gate", gate);
        fc2 = addChildBlock("fc2", TorchInit.apply(Linear.builder().setUnits(out).build()));
    }

    /**
     * A GLU-family MLP {@code in → 2·width → (gate) width → out}.
     *
     * @param dropout the rate of the two dropouts, in [0, 1)
     */
    public static GatedMlp glu(Glu glu, int in, int width, int out, float dropout) {
        return new GatedMlp(in, width, out, java.util.Objects.requireNonNull(glu, "glu"), null, false, dropout);
    }

    /**
     * A gated MLP whose gate is a block mapping {@code (..., 2·width)} to {@code (..., width)}; with
     * {@code preActivation} a GELU comes before the gate (gMLP).
     *
     * @param dropout the rate of the two dropouts, in [0, 1)
     */
    public static GatedMlp withGate(Block gate, boolean preActivation, int in, int width, int out, float dropout) {
        return new GatedMlp(in, width, out, null, java.util.Objects.requireNonNull(gate, "gate"), preActivation,
                dropout);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("GatedMlp", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        getOutputShapes(new Shape[] {x.getShape()}); // validates for the gate too, before any native op
        NDArray z = fc1.forward(ps, new NDList(x), training).singletonOrThrow(); // (..., 2h)
        NDArray g;
        if (gate == null) {
            NDList halves = z.split(2, z.getShape().dimension() - 1);
            g = halves.get(0).mul(glu.apply(halves.get(1))); // (..., h)
        } else {
            if (preActivation) {
                z = Activation.gelu(z);
            }
            z = drop(z, training);
            g = gate.forward(ps, new NDList(z), training).singletonOrThrow(); // (..., h)
        }
        if (gate == null) {
            g = drop(g, training);
        }
        return new NDList(drop(fc2.forward(ps, new NDList(g), training).singletonOrThrow(), training));
    }

    private NDArray drop(NDArray x, boolean training) {
        return training && dropout > 0f ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
    }

    private void check(Shape s) {
        if (s.dimension() < 2 || s.get(s.dimension() - 1) != in) {
            throw new IllegalArgumentException(String.format(
                    "GatedMlp expects input (B, ..., %d): axis %d must be %d; got %s", in, Math.max(1,
                            s.dimension() - 1), in, s));
        }
    }

    private Shape gated(Shape s) {
        return s.slice(0, s.dimension() - 1).add(width);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        if (gate != null) {
            if (s.dimension() < 2) {
                throw new IllegalArgumentException("GatedMlp expects input (B, ..., " + in + "); got " + s);
            }
            Shape g = gate.getOutputShapes(new Shape[] {s.slice(0, s.dimension() - 1).add(2L * width)})[0];
            if (!g.equals(gated(s))) {
                throw new IllegalArgumentException("GatedMlp's gate must map the last axis " + 2 * width + " to " + width
                        + "; " + gate + " gives " + g);
            }
        }
        check(s);
        return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        getOutputShapes(inputShapes);
        fc1.initialize(manager, dataType, s);
        if (gate != null) {
            gate.initialize(manager, dataType, s.slice(0, s.dimension() - 1).add(2L * width));
        }
        fc2.initialize(manager, dataType, gated(s));
    }

    @Override
    public String toString() {
        return "GatedMlp(" + in + " -> " + 2 * width + " -> " + (gate == null ? glu : gate) + " -> " + width + " -> "
                + out + ")";
    }
}
