package io.github.mlpzoo.core.nn.embeddings;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.ops.Scalars;

/**
 * Periodic embeddings ({@code rtdl_num_embeddings.PeriodicEmbeddings(n, d, n_frequencies, frequency_init_scale,
 * activation=True, lite=False)}; Gorishniy et al. NeurIPS 2022 §3.3, "PLR"): for feature j,
 * <pre>
 *   v_j = 2π · c_j · x_j                          c_j: (K,) ~ N(0, σ²) truncated to ±3σ
 *   emb_j = ReLU([cos v_j, sin v_j] W_j + b_j)    W_j: (2K, d), b_j: (d,), U(±1/√(2K))
 * </pre>
 * Shapes: input {@code (B, n)} float32, output {@code (B, n, d)}. Parameters (official names in brackets):
 * {@code periodic_weight (n, K)} [{@code periodic.weight}], {@code linear_weight (n, 2K, d)},
 * {@code linear_bias (n, d)} [{@code linear.weight/bias}]. The "lite" form (one shared linear) is not provided.
 */
public final class PeriodicEmbeddings extends DescribedBlock {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field

    private final int nFeatures;
    private final int nFrequencies;
    private final int dEmbedding;
    private final float sigma;
    private final boolean activation;
    private final Parameter periodicWeight;
    private final Parameter linearWeight;
    private final Parameter linearBias;

    /**
     * @param nFrequencies K, frequencies per feature (official default 48)
     * @param sigma the frequencies' initialization scale (official default 0.01; an important hyper-parameter)
     * @param activation whether the ReLU is applied (official default true)
     */
    public PeriodicEmbeddings(int nFeatures, int nFrequencies, int dEmbedding, float sigma, boolean activation) {
        super(VERSION);
        if (nFeatures < 1 || nFrequencies < 1 || dEmbedding < 1 || !(sigma > 0f)) {
            throw new IllegalArgumentException(String.format(
                    "PeriodicEmbeddings needs n, K, d >= 1 and sigma > 0; got %d, %d, %d, %s",
                    nFeatures, nFrequencies, dEmbedding, sigma));
        }
        this.nFeatures = nFeatures;
        this.nFrequencies = nFrequencies;
        this.dEmbedding = dEmbedding;
        this.sigma = sigma;
        this.activation = activation;
        float bound = (float) (1.0 / Math.sqrt(2.0 * nFrequencies));
        periodicWeight = addParameter(Parameter.builder().setName("periodic_weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(nFeatures, nFrequencies))
                .optInitializer((m, shape, dt) -> truncatedNormal(m, shape, dt, sigma)).build());
        linearWeight = addParameter(Parameter.builder().setName("linear_weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(nFeatures, 2L * nFrequencies, dEmbedding))
                .optInitializer((m, shape, dt) -> m.randomUniform(-bound, bound, shape, dt)).build());
        linearBias = addParameter(Parameter.builder().setName("linear_bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(nFeatures, dEmbedding))
                .optInitializer((m, shape, dt) -> m.randomUniform(-bound, bound, shape, dt)).build());
    }

    /** N(0, σ²) with every draw outside ±3σ redrawn (as {@code nn.init.trunc_normal_(a=-3σ, b=3σ)}). */
    static NDArray truncatedNormal(NDManager m, Shape shape, DataType dt, float sigma) {
        float[] out = new float[(int) shape.size()];
        int filled = 0;
        while (filled < out.length) {
            try (NDArray draw = m.randomNormal(0f, sigma, new Shape(out.length), DataType.FLOAT32)) {
                for (float v : draw.toFloatArray()) {
                    if (filled < out.length && Math.abs(v) <= 3f * sigma) {
                        out[filled++] = v;
                    }
                }
            }
        }
        try (NDArray a = m.create(out, shape)) {
            return a.toType(dt, true);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("PeriodicEmbeddings", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        InputCheck.shape("PeriodicEmbeddings", "input", x, InputCheck.ANY, nFeatures);
        var device = x.getDevice();
        NDArray v = Scalars.mul(x.expandDims(2).mul(ps.getValue(periodicWeight, device, training)), 2 * Math.PI);
        NDArray z = NDArrays.concat(new NDList(v.cos(), v.sin()), 2); // (B, n, 2K)
        z = z.transpose(1, 0, 2).matMul(ps.getValue(linearWeight, device, training)).transpose(1, 0, 2)
                .add(ps.getValue(linearBias, device, training)); // (B, n, d)
        return new NDList(activation ? Activation.relu(z) : z);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        InputCheck.shape("PeriodicEmbeddings", "input", inputShapes[0], InputCheck.ANY, nFeatures);
        return new Shape[] {new Shape(inputShapes[0].get(0), nFeatures, dEmbedding)};
    }

    @Override
    protected String describe() { // sigma only scales the frequencies' initialization
        return String.format("PeriodicEmbeddings(n=%d, K=%d, d=%d, relu=%b)", nFeatures, nFrequencies, dEmbedding,
                activation);
    }

    @Override
    public String toString() {
        return String.format("PeriodicEmbeddings(n=%d, K=%d, d=%d, sigma=%s, relu=%b)", nFeatures, nFrequencies,
                dEmbedding, sigma, activation);
    }
}
