package io.github.mlpzoo.core.nn.ensemble;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;

/**
 * A parameter-efficient ensemble of k linear layers sharing one weight (BatchEnsemble, Wen et al., ICLR 2020,
 * eq. 5; {@code tabm.py}, {@code LinearBatchEnsemble}): for member i,
 * <pre>
 *   y_i = ((x_i ⊙ r_i) Wᵀ) ⊙ s_i + b_i
 * </pre>
 * Shapes: input {@code (B, k, in)}, output {@code (B, k, out)}. Parameters: {@code weight (out, in)} shared,
 * {@code r (k, in)}, {@code s (k, out)} and {@code bias (k, out)} per member (the paper's "adapters").
 *
 * <p>Initialization as in {@code tabm.py}: {@code weight} U(±1/√in); {@code r} and {@code s} by
 * {@link ScalingInit} (TabM: the first layer's {@code r} random, with one value per feature chunk, everything
 * else ones); {@code bias} one U(±1/√in) vector copied to all k rows ("one shared bias plus k zero-initialized
 * non-shared biases").
 */
public final class BatchEnsembleLinear extends DescribedBlock {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field

    private final int in;
    private final int out;
    private final int k;
    private final Parameter weight;
    private final Parameter r;
    private final Parameter s;
    private final Parameter bias;

    private BatchEnsembleLinear(Builder b) {
        super(VERSION);
        in = b.in;
        out = b.out;
        k = b.k;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in)).optInitializer(Uniform.rsqrt(in)).build());
        r = addParameter(Parameter.builder().setName("r").setType(Parameter.Type.OTHER)
                .optShape(new Shape(k, in)).optInitializer(b.firstInit.initializer(b.firstChunks)).build());
        s = addParameter(Parameter.builder().setName("s").setType(Parameter.Type.OTHER)
                .optShape(new Shape(k, out)).optInitializer(b.secondInit.initializer(null)).build());
        bias = b.bias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                        .optShape(new Shape(k, out)).optInitializer(Uniform.sharedRows(in)).build())
                : null;
    }

    /** A builder; in, out and k are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("BatchEnsembleLinear", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        InputCheck.shape("BatchEnsembleLinear", "input", x, InputCheck.ANY, k, in);
        var device = x.getDevice();
        NDArray w = ps.getValue(weight, device, training);
        NDArray xr = x.mul(ps.getValue(r, device, training)); // (B, k, in)
        NDArray wt = w.transpose(); // a view owned by the input's manager, not by the parameter's
        wt.attach(x.getManager());
        NDArray y = xr.matMul(wt); // (B, k, out)
        xr.close(); // autograd keeps its own reference when it needs it; freeing lets the next op reuse the memory
        NDArray sv = ps.getValue(s, device, training);
        // without autograd (inference), scale and shift the fresh product in place: one (B, k, out) tensor instead of
        // three; with it, mul's backward needs the unscaled product, so only the bias add (which keeps nothing) is
        if (y.hasGradient()) {
            NDArray product = y;
            y = product.mul(sv);
            product.close();
        } else {
            y.muli(sv);
        }
        return new NDList(bias == null ? y : y.addi(ps.getValue(bias, device, training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        InputCheck.shape("BatchEnsembleLinear", "input", inputShapes[0], InputCheck.ANY, k, in);
        return new Shape[] {new Shape(inputShapes[0].get(0), k, out)};
    }

    @Override
    public String toString() {
        return String.format("BatchEnsembleLinear(in=%d, out=%d, k=%d, bias=%b)", in, out, k, bias != null);
    }

    /** Builder for {@link BatchEnsembleLinear}. */
    public static final class Builder {
        private int in;
        private int out;
        private int k;
        private boolean bias = true;
        private ScalingInit firstInit = ScalingInit.ONES;
        private ScalingInit secondInit = ScalingInit.ONES;
        private int[] firstChunks;

        Builder() {}

        /** Input features per member. */
        public Builder setInFeatures(int in) {
            this.in = in;
            return this;
        }

        /** Output features per member. */
        public Builder setOutFeatures(int out) {
            this.out = out;
            return this;
        }

        /** Number of members. */
        public Builder setK(int k) {
            this.k = k;
            return this;
        }

        /** Whether the members have biases (default true). */
        public Builder optBias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /** Initialization of {@code r} and {@code s} (default ones, ones). */
        public Builder optScalingInit(ScalingInit first, ScalingInit second) {
            this.firstInit = first;
            this.secondInit = second;
            return this;
        }

        /** Chunks of {@code r}'s initialization (one shared value per chunk and member); default none. */
        public Builder optFirstScalingChunks(int[] chunks) {
            this.firstChunks = chunks == null ? null : chunks.clone();
            return this;
        }

        /**
         * Builds the block.
         *
         * @throws IllegalArgumentException if a size is missing or not positive, or the chunks do not fit
         */
        public BatchEnsembleLinear build() {
            if (in < 1 || out < 1 || k < 1) {
                throw new IllegalArgumentException(String.format(
                        "BatchEnsembleLinear needs in, out and k >= 1; got in=%d, out=%d, k=%d", in, out, k));
            }
            if (firstInit == null || secondInit == null) {
                throw new IllegalArgumentException("BatchEnsembleLinear scaling inits must not be null");
            }
            if (firstChunks != null) {
                firstInit.initializer(firstChunks); // validates ONES + chunks
                if (java.util.Arrays.stream(firstChunks).sum() != in) {
                    throw new IllegalArgumentException("BatchEnsembleLinear first scaling chunks must sum to in="
                            + in + "; got " + java.util.Arrays.toString(firstChunks));
                }
            }
            return new BatchEnsembleLinear(this);
        }
    }
}
