package io.github.mlpzoo.core.nn.embeddings;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.ops.Scalars;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Piecewise-linear embeddings, version "B" ({@code rtdl_num_embeddings.PiecewiseLinearEmbeddings(bins, d,
 * activation=False, version="B")}; Gorishniy et al. NeurIPS 2022 §3.2, version B from the TabM paper): for feature
 * j with bin edges {@code e_0 < … < e_T},
 * <pre>
 *   ple_j(x)_t = clamp((x − e_t) / (e_{t+1} − e_t))   (first component clamped only above by 1, the last only
 *                                                       below by 0, the others to [0, 1])
 *   emb_j(x)   = x·w0_j + b0_j  +  ple_j(x) · W_j          (W_j: (T, d), no bias)
 * </pre>
 * Shapes: input {@code (B, n)} float32, output {@code (B, n, d)}. A feature with fewer bins than the widest one
 * keeps its last component at the end and zeros in between, as the official layout does.
 *
 * <p>Parameters (official names in brackets): {@code linear0_weight}, {@code linear0_bias} (n, d) U(±1/√d)
 * [{@code linear0.weight/bias}]; the encoding's constants {@code impl_weight} = 1/width and {@code impl_bias} =
 * −left/width (n, maxBins), not trained [buffers {@code impl.weight/bias}]; {@code linear_weight} (n, maxBins, d),
 * zeros at first so the module starts as a plain linear embedding [{@code linear.weight}].
 *
 * <p>The bins come from the training data: {@link #computeBins} (quantiles, as {@code compute_bins}), then
 * {@link #setBins}. Until then the encoding uses {@code maxBins} equal bins on [−3, 3] (the bulk of a
 * standard-normal, quantile-transformed feature). Not supported: a feature with a single bin (the official code
 * special-cases it with {@code single_bin_mask}); {@link #setBins} refuses it.
 */
public final class PiecewiseLinearEmbeddings extends DescribedBlock {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field

    private final int nFeatures;
    private final int maxBins;
    private final int dEmbedding;
    private final boolean activation;
    private final Parameter linear0Weight;
    private final Parameter linear0Bias;
    private final Parameter implWeight;
    private final Parameter implBias;
    private final Parameter linearWeight;

    /**
     * Embeddings of {@code nFeatures} features into {@code dEmbedding} each, with at most {@code maxBins} bins per
     * feature.
     *
     * @param activation whether a ReLU follows the piecewise-linear term (TabM: false)
     */
    public PiecewiseLinearEmbeddings(int nFeatures, int maxBins, int dEmbedding, boolean activation) {
        super(VERSION);
        if (nFeatures < 1 || maxBins < 2 || dEmbedding < 1) {
            throw new IllegalArgumentException(String.format(
                    "PiecewiseLinearEmbeddings needs nFeatures >= 1, maxBins >= 2, dEmbedding >= 1; got %d, %d, %d",
                    nFeatures, maxBins, dEmbedding));
        }
        this.nFeatures = nFeatures;
        this.maxBins = maxBins;
        this.dEmbedding = dEmbedding;
        this.activation = activation;
        float bound = (float) (1.0 / Math.sqrt(dEmbedding));
        Initializer uniform = (m, shape, dt) -> m.randomUniform(-bound, bound, shape, dt);
        linear0Weight = addParameter(Parameter.builder().setName("linear0_weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(nFeatures, dEmbedding)).optInitializer(uniform).build());
        linear0Bias = addParameter(Parameter.builder().setName("linear0_bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(nFeatures, dEmbedding)).optInitializer(uniform).build());
        float[][] encoding = encoding(defaultBins(nFeatures, maxBins), maxBins);
        implWeight = addParameter(Parameter.builder().setName("impl_weight").setType(Parameter.Type.OTHER)
                .optShape(new Shape(nFeatures, maxBins)).optRequiresGrad(false)
                .optInitializer((m, shape, dt) -> m.create(encoding[0], shape).toType(dt, false)).build());
        implBias = addParameter(Parameter.builder().setName("impl_bias").setType(Parameter.Type.OTHER)
                .optShape(new Shape(nFeatures, maxBins)).optRequiresGrad(false)
                .optInitializer((m, shape, dt) -> m.create(encoding[1], shape).toType(dt, false)).build());
        linearWeight = addParameter(Parameter.builder().setName("linear_weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(nFeatures, maxBins, dEmbedding)).optInitializer(Initializer.ZEROS).build());
    }

    /**
     * Quantile bin edges per feature, as {@code rtdl_num_embeddings.compute_bins(X, n_bins)} without trees:
     * {@code torch.quantile(X, linspace(0, 1, nBins + 1), dim=0)} (linear interpolation), then the distinct values.
     *
     * @param x training features, row-major {@code (rows, cols)}
     * @throws IllegalArgumentException on NaN/infinite values, a constant column, or {@code nBins} not in
     *     {@code [2, rows)}
     */
    public static List<float[]> computeBins(float[] x, int cols, int nBins) {
        if (cols < 1 || x.length % cols != 0) {
            throw new IllegalArgumentException("computeBins expects a (rows, " + cols + ") array; got " + x.length
                    + " values");
        }
        int rows = x.length / cols;
        if (nBins <= 1 || nBins >= rows) {
            throw new IllegalArgumentException("computeBins expects 1 < nBins < rows=" + rows + "; got " + nBins);
        }
        List<float[]> out = new ArrayList<>();
        float[] col = new float[rows];
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                col[r] = x[r * cols + c];
                if (!Float.isFinite(col[r])) {
                    throw new IllegalArgumentException("computeBins: feature " + c + " row " + r + " is " + col[r]
                            + "; bins need finite values (impute NaN first)");
                }
            }
            Arrays.sort(col);
            if (col[0] == col[rows - 1]) {
                throw new IllegalArgumentException("computeBins: feature " + c + " is constant (" + col[0] + ")");
            }
            float[] q = new float[nBins + 1];
            int n = 0;
            for (int i = 0; i <= nBins; i++) {
                float p = (float) i / nBins; // torch.linspace in float32
                float pos = p * (rows - 1);
                int lo = (int) Math.floor(pos);
                int hi = Math.min(lo + 1, rows - 1);
                float w = pos - lo;
                float v = col[lo] + w * (col[hi] - col[lo]);
                if (n == 0 || v > q[n - 1]) {
                    q[n++] = v;
                }
            }
            out.add(Arrays.copyOf(q, n));
        }
        return out;
    }

    /** The maximum number of bins per feature (the encoding width). */
    public int maxBins() {
        return maxBins;
    }

    /** The number of features. */
    public int nFeatures() {
        return nFeatures;
    }

    /**
     * Sets the bins of every {@code PiecewiseLinearEmbeddings} inside {@code root} (itself included) from the
     * training features {@code x} ({@code (rows, cols)} row-major, as the embeddings see them), with
     * {@link #computeBins} and each one's {@link #maxBins()}; returns how many were set.
     */
    public static int fitAll(ai.djl.nn.Block root, float[] x, int cols) {
        int n = 0;
        if (root instanceof PiecewiseLinearEmbeddings p) {
            if (p.nFeatures != cols) {
                throw new IllegalArgumentException("PiecewiseLinearEmbeddings expects " + p.nFeatures
                        + " features; the data has " + cols);
            }
            p.setBins(computeBins(x, cols, p.maxBins));
            n++;
        }
        for (ai.djl.nn.Block child : root.getChildren().values()) {
            n += fitAll(child, x, cols);
        }
        return n;
    }

    /** Writes the encoding constants for these bin edges (one ascending array per feature, 3 to maxBins+1 edges). */
    public void setBins(List<float[]> bins) {
        float[][] enc = encoding(bins, maxBins);
        if (bins.size() != nFeatures) {
            throw new IllegalArgumentException("setBins expects edges for " + nFeatures + " features; got "
                    + bins.size());
        }
        implWeight.getArray().set(FloatBuffer.wrap(enc[0]));
        implBias.getArray().set(FloatBuffer.wrap(enc[1]));
    }

    private static List<float[]> defaultBins(int n, int bins) {
        List<float[]> out = new ArrayList<>();
        float[] e = new float[bins + 1];
        for (int i = 0; i <= bins; i++) {
            e[i] = -3f + 6f * i / bins;
        }
        for (int j = 0; j < n; j++) {
            out.add(e);
        }
        return out;
    }

    /** {@code _PiecewiseLinearEncodingImpl.__init__}: weight 1/width, bias −left/width, last component last. */
    static float[][] encoding(List<float[]> bins, int maxBins) {
        int n = bins.size();
        float[] w = new float[n * maxBins];
        float[] b = new float[n * maxBins];
        for (int j = 0; j < n; j++) {
            float[] e = bins.get(j);
            int t = e.length - 1;
            if (t < 2 || t > maxBins) {
                throw new IllegalArgumentException(String.format(
                        "PiecewiseLinearEmbeddings: feature %d has %d bins; expected 2..%d", j, Math.max(t, 0),
                        maxBins));
            }
            for (int i = 0; i < t; i++) {
                if (!(e[i + 1] > e[i]) || !Float.isFinite(e[i]) || !Float.isFinite(e[i + 1])) {
                    throw new IllegalArgumentException("PiecewiseLinearEmbeddings: feature " + j
                            + " has bin edges that are not finite and strictly ascending at " + i);
                }
                float width = e[i + 1] - e[i];
                int slot = i == t - 1 ? maxBins - 1 : i;
                w[j * maxBins + slot] = 1f / width;
                b[j * maxBins + slot] = -e[i] / width;
            }
        }
        return new float[][] {w, b};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("PiecewiseLinearEmbeddings", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        InputCheck.shape("PiecewiseLinearEmbeddings", "input", x, InputCheck.ANY, nFeatures);
        var device = x.getDevice();
        NDArray x3 = x.expandDims(2); // (B, n, 1)
        NDArray linear = x3.mul(ps.getValue(linear0Weight, device, training))
                .add(ps.getValue(linear0Bias, device, training)); // (B, n, d)
        NDArray enc = x3.mul(ps.getValue(implWeight, device, training))
                .add(ps.getValue(implBias, device, training)); // (B, n, T)
        NDList parts = new NDList(Scalars.minimum(enc.get(":, :, :1"), 1));
        if (maxBins > 2) {
            parts.add(enc.get(":, :, 1:-1").clip(0f, 1f));
        }
        parts.add(Scalars.maximum(enc.get(":, :, -1:"), 0));
        enc = NDArrays.concat(parts, 2); // (B, n, T)
        NDArray ple = enc.transpose(1, 0, 2).matMul(ps.getValue(linearWeight, device, training))
                .transpose(1, 0, 2); // (B, n, d)
        if (activation) {
            ple = Activation.relu(ple);
        }
        return new NDList(linear.add(ple));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        InputCheck.shape("PiecewiseLinearEmbeddings", "input", inputShapes[0], InputCheck.ANY, nFeatures);
        return new Shape[] {new Shape(inputShapes[0].get(0), nFeatures, dEmbedding)};
    }

    @Override
    public String toString() {
        return String.format("PiecewiseLinearEmbeddings(n=%d, bins=%d, d=%d, relu=%b)", nFeatures, maxBins,
                dEmbedding, activation);
    }
}
