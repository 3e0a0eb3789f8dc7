package io.github.mlpzoo.core.nn.kan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.ops.Scalars;
import io.github.mlpzoo.core.profile.MacCounter;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * A KAN layer with selectable activation spaces, after S-KAN (Yang, Zhang, Luo, Lu &amp; Shen, <i>Activation Space
 * Selectable Kolmogorov–Arnold Networks</i>, arXiv 2408.08338). <b>No official code was found</b>; this follows the
 * abstract ("an adaptive strategy to choose the possible activation mode for data at each feedforward KAN node") and
 * second-hand summaries (a pool of activation functions combined with learned weights, trained fully, then
 * selectively, then pruned). Each edge i → o is a softmax-weighted mixture of one function from each space:
 * <pre>
 *   φ_{o,i}(x) = Σ_s π_{o,i,s} · Σ_k C_s[o,i,k] · F_{s,k}(x),   π_{o,i,·} = softmax(α_{o,i,·}),   y_o = Σ_i φ_{o,i}(x_i)
 * </pre>
 * with the feature families (our choices): {@link Space#SPLINE} cubic B-splines on a fixed uniform grid of G
 * intervals over [−1, 1] (extended by 3 knots each side, as efficient-kan); {@link Space#FOURIER} cos(kx), sin(kx) for
 * k = 1..F; {@link Space#POLYNOMIAL} Chebyshev T_0..T_n of tanh(x) (tanh keeps the argument in [−1, 1]);
 * {@link Space#RATIONAL} one rational function per input feature (KAT's kernel formula, SiLU init) scaled per edge. Computed as one matrix product per space:
 * {@code y = Σ_s flatten(F_s(x)) · flatten(C_s ⊙ π_s)ᵀ}. Shapes: input {@code (B, in)}, output {@code (B, out)}.
 *
 * <p>Assumed training protocol (the summaries' three phases): train everything; then {@link #freezeSelection()} keeps,
 * per edge, only the space of largest weight (the logits become 0 for it and −∞ in effect for the others), and
 * training continues; pruning of whole edges is left to the user. Parameters: {@code selection (out, in, S)} (init 0,
 * equal mixture), {@code coef<Space> (out, in, K_s)} (init U(±1/√(in·K_s))), and for the rational space
 * {@code ratNumerator (in, 6)}, {@code ratDenominator (in, 4)}.
 */
public final class SelectableKanLinear extends DescribedBlock implements MacCounter {

    private static final byte VERSION = 1;

    /** The activation spaces an edge can select from. */
    public enum Space { SPLINE, FOURIER, POLYNOMIAL, RATIONAL }

    private final int in;
    private final int out;
    private final List<Space> spaces;
    private final int gridSize;
    private final int frequencies;
    private final int degree;
    private final Parameter selection;
    private final List<Parameter> coefs = new ArrayList<>();
    private final Parameter ratNum;
    private final Parameter ratDen;
    private final float[] grid;

    /**
     * A layer from {@code in} to {@code out} features over {@code spaces}, with G spline intervals, F frequencies and
     * polynomial degree n.
     */
    public SelectableKanLinear(int in, int out, EnumSet<Space> spaces, int gridSize, int frequencies, int degree) {
        super(VERSION);
        if (in < 1 || out < 1 || spaces == null || spaces.isEmpty() || gridSize < 1 || frequencies < 1 || degree < 0) {
            throw new IllegalArgumentException(String.format("SelectableKanLinear needs in, out >= 1, at least one "
                    + "space, gridSize, frequencies >= 1 and degree >= 0; got in=%d, out=%d, spaces=%s, %d, %d, %d",
                    in, out, spaces, gridSize, frequencies, degree));
        }
        this.in = in;
        this.out = out;
        this.spaces = List.copyOf(spaces);
        this.gridSize = gridSize;
        this.frequencies = frequencies;
        this.degree = degree;
        double[] g = BSplineBasis.uniformGrid(gridSize, 3, -1, 1);
        grid = new float[in * g.length];
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < g.length; j++) {
                grid[i * g.length + j] = (float) g[j];
            }
        }
        selection = addParameter(Parameter.builder().setName("selection").setType(Parameter.Type.OTHER)
                .optShape(new Shape(out, in, this.spaces.size())).optInitializer(new ConstantInitializer(0f)).build());
        for (Space s : this.spaces) {
            int k = features(s);
            float bound = (float) (1 / Math.sqrt((double) in * k));
            coefs.add(addParameter(Parameter.builder().setName("coef" + s.name().charAt(0)
                    + s.name().substring(1).toLowerCase(java.util.Locale.ROOT)).setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(out, in, k))
                    .optInitializer((m, shape, type) -> m.randomUniform(-bound, bound, shape, type)).build()));
        }
        if (this.spaces.contains(Space.RATIONAL)) {
            double[] a = GroupRational.Init.SWISH.numerator();
            double[] b = GroupRational.Init.SWISH.denominator();
            ratNum = addParameter(Parameter.builder().setName("ratNumerator").setType(Parameter.Type.OTHER)
                    .optShape(new Shape(in, 6)).optInitializer((m, shape, type) -> rows(m, a, in, shape)).build());
            ratDen = addParameter(Parameter.builder().setName("ratDenominator").setType(Parameter.Type.OTHER)
                    .optShape(new Shape(in, 4)).optInitializer((m, shape, type) -> rows(m, b, in, shape)).build());
        } else {
            ratNum = null;
            ratDen = null;
        }
    }

    private static NDArray rows(NDManager m, double[] v, int n, Shape shape) {
        float[] f = new float[n * v.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < v.length; j++) {
                f[i * v.length + j] = (float) v[j];
            }
        }
        return m.create(f, shape);
    }

    private int features(Space s) {
        switch (s) {
            case SPLINE:
                return gridSize + 3;
            case FOURIER:
                return 2 * frequencies;
            case POLYNOMIAL:
                return degree + 1;
            default:
                return 1;
        }
    }

    /** The spaces, in the order of the selection axis. */
    public List<Space> spaces() {
        return spaces;
    }

    /** Per edge (out, in), the index into {@link #spaces()} of the largest selection weight. */
    public int[][] selected() {
        float[] a = selection.getArray().toFloatArray();
        int s = spaces.size();
        int[][] r = new int[out][in];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                int best = 0;
                for (int k = 1; k < s; k++) {
                    if (a[(o * in + i) * s + k] > a[(o * in + i) * s + best]) {
                        best = k;
                    }
                }
                r[o][i] = best;
            }
        }
        return r;
    }

    /** The selective phase: every edge keeps only its selected space (its softmax weight becomes 1 − ~1e-13). */
    public void freezeSelection() {
        int[][] sel = selected();
        int s = spaces.size();
        float[] a = new float[out * in * s];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int k = 0; k < s; k++) {
                    a[(o * in + i) * s + k] = k == sel[o][i] ? 0f : -30f;
                }
            }
        }
        selection.getArray().set(a);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("SelectableKanLinear", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        InputCheck.shape("SelectableKanLinear", "input (B, in)", x, InputCheck.ANY, in);
        InputCheck.float32("SelectableKanLinear", "input", x);
        NDManager mgr = x.getManager();
        var device = x.getDevice();
        long b = x.getShape().get(0);
        NDArray sel = ps.getValue(selection, device, training).softmax(2); // (out, in, S) on the parameter's manager
        sel.attach(mgr);
        NDArray y = null;
        for (int s = 0; s < spaces.size(); s++) {
            NDArray f = features(spaces.get(s), x, ps, training); // (B, in, K)
            NDArray c = ps.getValue(coefs.get(s), device, training).reshape(out, in, features(spaces.get(s)));
            c.attach(mgr);
            NDArray w = c.mul(sel.get(new NDIndex(":, :, {}:{}", s, s + 1))).reshape(out, -1).transpose();
            NDArray term = f.reshape(b, -1).matMul(w); // (B, out)
            y = y == null ? term : y.add(term);
        }
        return new NDList(y);
    }

    private NDArray features(Space s, NDArray x, ParameterStore ps, boolean training) {
        NDManager mgr = x.getManager();
        switch (s) {
            case SPLINE:
                return BSplineBasis.of(x, mgr.create(grid, new Shape(in, grid.length / in)), 3);
            case FOURIER: {
                float[] k = new float[frequencies];
                for (int j = 0; j < frequencies; j++) {
                    k[j] = j + 1;
                }
                NDArray kx = x.expandDims(2).mul(mgr.create(k)); // (B, in, F)
                return NDArrays.concat(new NDList(kx.cos(), kx.sin()), 2);
            }
            case POLYNOMIAL: {
                NDArray t = x.tanh().expandDims(2);
                NDList terms = new NDList(t.onesLike());
                if (degree >= 1) {
                    terms.add(t);
                }
                for (int j = 2; j <= degree; j++) {
                    terms.add(Scalars.mul(t, 2).mul(terms.get(j - 1)).sub(terms.get(j - 2))); // T_j = 2t T_{j−1} − T_{j−2}
                }
                return NDArrays.concat(terms, 2); // (B, in, n+1)
            }
            default: {
                NDArray a = ps.getValue(ratNum, x.getDevice(), training).reshape(in, 6);
                NDArray bq = ps.getValue(ratDen, x.getDevice(), training).reshape(in, 4);
                a.attach(mgr);
                bq.attach(mgr);
                NDArray p = x.mul(a.get(new NDIndex(":, 5")));
                for (int j = 4; j >= 1; j--) {
                    p = p.add(a.get(new NDIndex(":, {}", j))).mul(x);
                }
                p = p.add(a.get(new NDIndex(":, 0")));
                NDArray ax = x.abs();
                NDArray bAbs = bq.abs();
                NDArray q = ax.mul(bAbs.get(new NDIndex(":, 3")));
                for (int j = 2; j >= 0; j--) {
                    q = q.add(bAbs.get(new NDIndex(":, {}", j))).mul(ax);
                }
                return p.div(q.add(1f)).expandDims(2); // (B, in, 1)
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        InputCheck.shape("SelectableKanLinear", "input (B, in)", inputShapes[0], InputCheck.ANY, in);
        return new Shape[] {new Shape(inputShapes[0].get(0), out)};
    }

    /** {@inheritDoc} One product per space: {@code Σ_s in·K_s·out} per row. */
    @Override
    public long macs(Shape[] inputShapes) {
        long k = 0;
        for (Space s : spaces) {
            k += features(s);
        }
        return inputShapes[0].get(0) * in * k * out;
    }

    @Override
    public String toString() {
        return String.format("SelectableKanLinear(in=%d, out=%d, spaces=%s, grid=%d, frequencies=%d, degree=%d)", in,
                out, spaces, gridSize, frequencies, degree);
    }
}
