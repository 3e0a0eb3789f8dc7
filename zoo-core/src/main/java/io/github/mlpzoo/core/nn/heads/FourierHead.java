package io.github.mlpzoo.core.nn.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.ops.Scalars;

/**
 * The Fourier head (Gillman et al., <i>Fourier Head: Helping Large Language Models Learn Complex Probability
 * Distributions</i>, ICLR 2025, §2; official {@code nate-gillman/fourier-head} {@code fourier_head.py},
 * {@code Fourier_Head}): a drop-in replacement for a linear classification head over m ordered bins of [−1, 1] that
 * outputs the log of a smooth distribution, a truncated Fourier density evaluated at the bin centres:
 * <pre>
 *   a = (h Wᵀ + b)[:N+1] + i·(h Wᵀ + b)[N+1:]              N+1 complex numbers
 *   c_k = Σ_j a_{j+k} · conj(a_j),  k = 0..N                 autocorrelation (Fejér–Riesz: the density is ≥ 0)
 *   p(x) = 1/2 + Re Σ_{k=1..N} (c_k / Re c_0) e^{iπkx}       at the m bin centres x_b
 *   y = log(p / Σ_b p(x_b) + 1e-5)                           "inverse softmax": softmax(y) ≈ the distribution
 * </pre>
 * computed in real arithmetic ({@code Re c_k = Σ ar_{j+k} ar_j + ai_{j+k} ai_j},
 * {@code Im c_k = Σ ai_{j+k} ar_j − ar_{j+k} ai_j}; the cosine and sine of πkx_b are constants). Shapes: input
 * {@code (..., d)}, output {@code (..., m)}; use the output as logits of a cross-entropy loss. Child {@code fc}
 * (official {@code fc_extract_autocorrelation_params}), PyTorch's default init divided by 100 (weight and bias, the
 * official {@code init_denominator_*}).
 *
 * <p>The regularizer {@code γ · 2 · mean_batch Σ_{k=0..N} 2π²k² |c_k|²} (un-normalised c, official
 * {@code loss_regularization}) is {@link #regularization}; add it to the loss when γ &gt; 0.
 */
public final class FourierHead extends DescribedBlock {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field
    private static final float INVERSE_SOFTMAX = 1e-5f;

    private final int dim;
    private final int bins;
    private final int freqs;
    private final float gamma;
    private final Linear fc;

    /**
     * A Fourier head on {@code dim} features giving {@code bins} outputs from {@code frequencies} frequencies.
     *
     * @param gamma the regularization weight γ used by {@link #regularization} (official default 0)
     */
    public FourierHead(int dim, int bins, int frequencies, float gamma) {
        super(VERSION);
        if (dim < 1 || bins < 1 || frequencies < 1 || !(gamma >= 0)) {
            throw new IllegalArgumentException(String.format(
                    "FourierHead needs dim, bins, frequencies >= 1 and gamma >= 0; got %d, %d, %d, %s",
                    dim, bins, frequencies, gamma));
        }
        this.dim = dim;
        this.bins = bins;
        this.freqs = frequencies;
        this.gamma = gamma;
        fc = addChildBlock("fc", Linear.builder().setUnits(2L * (frequencies + 1)).build());
        Initializer torchOver100 = (m, shape, type) -> {
            float b = (float) (1.0 / Math.sqrt(dim)) / 100f;
            return m.randomUniform(-b, b, shape, type);
        };
        fc.setInitializer(torchOver100, Parameter.Type.WEIGHT);
        fc.setInitializer(torchOver100, Parameter.Type.BIAS);
    }

    /** The number of bins m. */
    public int bins() {
        return bins;
    }

    /** The bin centres of the uniform partition of [−1, 1] into m bins. */
    public static double[] binCenters(int bins) {
        double[] c = new double[bins];
        for (int b = 0; b < bins; b++) {
            c[b] = -1 + (2.0 * b + 1) / bins;
        }
        return c;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("FourierHead", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        Shape shape = x.getShape();
        NDArray[] c = autocorrelation(ps, x.reshape(-1, dim), training); // Re, Im: (n, N+1)
        NDManager mgr = x.getManager();
        NDArray re0 = c[0].get(new NDIndex(":, 0:1"));
        NDArray re = c[0].get(new NDIndex(":, 1:")).div(re0); // (n, N)
        NDArray im = c[1].get(new NDIndex(":, 1:")).div(re0);
        NDArray[] basis = basis(mgr); // cos, sin: (N, m)
        NDArray p = re.matMul(basis[0]).sub(im.matMul(basis[1])).add(0.5f); // (n, m), >= 0
        p = p.div(p.sum(new int[] {1}, true));
        NDArray y = p.add(INVERSE_SOFTMAX).log();
        return new NDList(y.reshape(shape.slice(0, shape.dimension() - 1).add(bins)));
    }

    /** The official regularization term γ·2·mean Σ_k 2π²k²|c_k|² for input {@code x (..., d)}, a scalar. */
    public NDArray regularization(ParameterStore ps, NDArray x, boolean training) {
        check(x.getShape());
        NDArray[] c = autocorrelation(ps, x.reshape(-1, dim), training);
        float[] w = new float[freqs + 1];
        for (int k = 0; k <= freqs; k++) {
            w[k] = (float) (2 * Math.PI * Math.PI * k * k);
        }
        NDArray scal = x.getManager().create(w);
        NDArray mag = c[0].square().add(c[1].square()).mul(scal).sum(new int[] {1}); // (n,)
        return Scalars.mul(mag.mean(), 2f * gamma);
    }

    private NDArray[] autocorrelation(ParameterStore ps, NDArray h, boolean training) {
        NDArray out = fc.forward(ps, new NDList(h), training).singletonOrThrow(); // (n, 2(N+1))
        int l = freqs + 1;
        NDArray ar = out.get(new NDIndex(":, 0:{}", l));
        NDArray ai = out.get(new NDIndex(":, {}:", l));
        NDList re = new NDList();
        NDList im = new NDList();
        for (int k = 0; k < l; k++) {
            NDArray arHi = ar.get(new NDIndex(":, {}:", k));
            NDArray aiHi = ai.get(new NDIndex(":, {}:", k));
            NDArray arLo = ar.get(new NDIndex(":, 0:{}", l - k));
            NDArray aiLo = ai.get(new NDIndex(":, 0:{}", l - k));
            re.add(arHi.mul(arLo).add(aiHi.mul(aiLo)).sum(new int[] {1}, true));
            im.add(aiHi.mul(arLo).sub(arHi.mul(aiLo)).sum(new int[] {1}, true));
        }
        return new NDArray[] {NDArrays.concat(re, 1), NDArrays.concat(im, 1)};
    }

    private NDArray[] basis(NDManager mgr) {
        double[] centers = binCenters(bins);
        float[] cos = new float[freqs * bins];
        float[] sin = new float[freqs * bins];
        for (int k = 1; k <= freqs; k++) {
            for (int b = 0; b < bins; b++) {
                double a = Math.PI * k * (float) centers[b];
                cos[(k - 1) * bins + b] = (float) Math.cos(a);
                sin[(k - 1) * bins + b] = (float) Math.sin(a);
            }
        }
        Shape s = new Shape(freqs, bins);
        return new NDArray[] {mgr.create(cos, s), mgr.create(sin, s)};
    }

    private void check(Shape s) {
        if (s.dimension() < 1 || s.get(s.dimension() - 1) != dim) {
            throw new IllegalArgumentException(String.format("FourierHead expects input (..., %d): axis %d must be %d;"
                    + " got %s", dim, Math.max(s.dimension() - 1, 0), dim, s));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        check(s);
        return new Shape[] {s.slice(0, s.dimension() - 1).add(bins)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0]);
        fc.initialize(manager, dataType, new Shape(1, dim));
    }

    @Override
    public String toString() {
        return "FourierHead(" + dim + " -> " + bins + " bins, " + freqs + " frequencies)";
    }
}
