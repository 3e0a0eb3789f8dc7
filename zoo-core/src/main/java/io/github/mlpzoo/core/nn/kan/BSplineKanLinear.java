package io.github.mlpzoo.core.nn.kan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.profile.MacCounter;

import java.util.Arrays;

/**
 * A Kolmogorov–Arnold layer with B-spline edge functions in efficient-kan's formulation (Blealtan/efficient-kan
 * {@code src/efficient_kan/kan.py}, {@code KANLinear}; KAN: Liu et al., arXiv 2404.19756, §2.2): every edge
 * i → o carries {@code φ_{o,i}(x) = w_b[o,i]·SiLU(x) + s[o,i]·Σ_c c[o,i,c]·B_c(x)} and output o sums its edges:
 * <pre>
 *   y = SiLU(x) W_bᵀ + flatten(B(x)) · flatten(C ⊙ s)ᵀ
 * </pre>
 * B(x) are the {@code G + k} B-spline bases of order k on the feature's own knot grid ({@link BSplineBasis}).
 * Shapes: input {@code (..., in)}, output {@code (..., out)}; the leading axes are flattened as efficient-kan does.
 *
 * <p>Parameters, official name → ours: {@code base_weight (out, in)} → {@code baseWeight}, {@code spline_weight
 * (out, in, G+k)} → {@code splineWeight}, {@code spline_scaler (out, in)} → {@code splineScaler}, and the buffer
 * {@code grid (in, G+2k+1)} → {@code grid}, a parameter without gradient (saved and loaded with the others).
 *
 * <p>Initialization as efficient-kan's {@code reset_parameters}: {@code baseWeight} and {@code splineScaler} from
 * {@code kaiming_uniform_(a = √5·scale)} (bound {@code √(6 / ((1 + 5 scale²)·in))}); {@code splineWeight} the
 * least-squares fit, at the G+1 interior knots, of noise {@code (U(0,1) − ½)·scaleNoise / G} (minimum-norm, as
 * {@code torch.linalg.lstsq} on an under-determined system); the grid uniform with step {@code h = (hi − lo)/G}
 * from {@code lo − k·h}.
 *
 * <p>{@link #updateGrid} is efficient-kan's {@code update_grid}: a blend of the samples' percentiles and a uniform
 * grid over their range, then a least-squares re-fit so the layer keeps its function on the samples. As in the
 * official code the re-fit writes {@code spline_weight} from the <em>scaled</em> curve and leaves
 * {@code spline_scaler} unchanged, so the function is only kept where {@code spline_scaler = 1}; {@link #refitFrom}
 * (grid extension, pykan's {@code refine}) divides the scaler out and keeps it exactly.
 */
public final class BSplineKanLinear extends DescribedBlock implements MacCounter {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field

    private final int in;
    private final int out;
    private final int gridSize;
    private final int order;
    private final double gridLo;
    private final double gridHi;
    private final double gridEps;
    private final Parameter baseWeight;
    private final Parameter splineWeight;
    private final Parameter splineScaler;
    private final Parameter grid;

    private BSplineKanLinear(Builder b) {
        super(VERSION);
        in = b.in;
        out = b.out;
        gridSize = b.gridSize;
        order = b.order;
        gridLo = b.gridLo;
        gridHi = b.gridHi;
        gridEps = b.gridEps;
        baseWeight = addParameter(Parameter.builder().setName("baseWeight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in)).optInitializer(kaimingUniform(b.scaleBase)).build());
        splineWeight = addParameter(Parameter.builder().setName("splineWeight").setType(Parameter.Type.OTHER)
                .optShape(new Shape(out, in, gridSize + order)).optInitializer(new NoiseFit(b.scaleNoise)).build());
        splineScaler = addParameter(Parameter.builder().setName("splineScaler").setType(Parameter.Type.OTHER)
                .optShape(new Shape(out, in)).optInitializer(kaimingUniform(b.scaleSpline)).build());
        grid = addParameter(Parameter.builder().setName("grid").setType(Parameter.Type.OTHER)
                .optShape(new Shape(in, gridSize + 2L * order + 1)).optRequiresGrad(false)
                .optInitializer((m, shape, type) -> {
                    double[] g = BSplineBasis.uniformGrid(gridSize, order, gridLo, gridHi);
                    float[] all = new float[in * g.length];
                    for (int i = 0; i < in; i++) {
                        for (int j = 0; j < g.length; j++) {
                            all[i * g.length + j] = (float) g[j];
                        }
                    }
                    return m.create(all, shape).toType(type, false);
                }).build());
    }

    /** A builder; in and out features are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Input features. */
    public int inFeatures() {
        return in;
    }

    /** Output features. */
    public int outFeatures() {
        return out;
    }

    /** Grid intervals G. */
    public int gridSize() {
        return gridSize;
    }

    /** Spline order k. */
    public int splineOrder() {
        return order;
    }

    /** A builder preset with this layer's settings (for a copy at another grid size). */
    public Builder toBuilder() {
        Builder b = new Builder().setInFeatures(in).setOutFeatures(out).optGridSize(gridSize).optSplineOrder(order)
                .optGridRange(gridLo, gridHi).optGridEps(gridEps);
        return b;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("BSplineKanLinear", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        check(x.getShape());
        InputCheck.float32("BSplineKanLinear", "input", x);
        Shape shape = x.getShape();
        var device = x.getDevice();
        NDManager mgr = x.getManager();
        NDArray flat = x.reshape(-1, in); // (N, in)
        NDArray wb = ps.getValue(baseWeight, device, training).transpose(); // (in, out)
        wb.attach(mgr);
        NDArray base = flat.mul(Activation.sigmoid(flat)).matMul(wb); // SiLU without swish's scalar operand: (N, out)
        NDArray bases = BSplineBasis.of(flat, ps.getValue(grid, device, training), order); // (N, in, G+k)
        NDArray scaler = ps.getValue(splineScaler, device, training).expandDims(2); // (out, in, 1)
        scaler.attach(mgr);
        NDArray ws = scaler.mul(ps.getValue(splineWeight, device, training)).reshape(out, -1).transpose();
        NDArray y = base.add(bases.reshape(flat.getShape().get(0), -1).matMul(ws)); // (N, out)
        return new NDList(y.reshape(shape.slice(0, shape.dimension() - 1).add(out)));
    }

    private void check(Shape s) {
        if (s.dimension() < 1 || s.get(s.dimension() - 1) != in) {
            throw new IllegalArgumentException(String.format(
                    "BSplineKanLinear expects input (..., %d): axis %d must be %d; got %s",
                    in, Math.max(s.dimension() - 1, 0), in, s));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        check(s);
        return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
    }

    /** {@inheritDoc} Base linear {@code in·out} plus spline linear {@code in·(G+k)·out} per row. */
    @Override
    public long macs(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long rows = s.size() / in;
        return rows * (long) in * out * (1 + gridSize + order);
    }

    /**
     * efficient-kan's {@code update_grid(x, margin)}: for every feature, the knots become
     * {@code eps·uniform + (1 − eps)·adaptive} where adaptive are the sorted samples at
     * {@code linspace(0, N − 1, G + 1)} (truncated to integers) and uniform spans {@code [min − margin, max + margin]},
     * extended by k uniform steps on each side; then {@code splineWeight} is re-fitted by least squares to the
     * current (scaled) spline output on the samples. Runs outside autograd; the block must be initialized.
     *
     * @param x samples of shape (N, in), N ≥ 1
     */
    public void updateGrid(NDArray x, double margin) {
        InputCheck.shape("BSplineKanLinear.updateGrid", "x", x, InputCheck.ANY, in);
        InputCheck.nonEmptyBatch("BSplineKanLinear.updateGrid", "x", x.getShape());
        double[][] xs = rows(x);
        int n = xs.length;
        double[][] oldGrid = gridValues();
        double[][][] target = splineOutputs(xs, oldGrid, scaledCoefficients()); // (in, N, out)
        double[][] newGrid = new double[in][];
        for (int i = 0; i < in; i++) {
            double[] col = new double[n];
            for (int r = 0; r < n; r++) {
                col[r] = (float) xs[r][i];
            }
            Arrays.sort(col);
            newGrid[i] = adaptiveGrid(col, margin);
        }
        setGrid(newGrid);
        setSplineWeight(fit(xs, newGrid, target, null));
    }

    /**
     * Grid extension (pykan's {@code refine}, KAN paper §2.4): makes this layer, with its own grid size, reproduce
     * {@code coarse} on the samples x: the grid is placed as {@link #updateGrid} would from x, the base weight and
     * spline scaler are copied, and the spline coefficients are the least-squares fit of coarse's spline branch,
     * with the scaler divided out so the function is kept. Both layers must be initialized with the same in, out and
     * order.
     */
    public void refitFrom(BSplineKanLinear coarse, NDArray x, double margin) {
        if (coarse.in != in || coarse.out != out || coarse.order != order) {
            throw new IllegalArgumentException("refitFrom needs a layer of the same in/out/order; got " + coarse
                    + " for " + this);
        }
        double[][] xs = rows(x);
        double[][][] target = splineOutputs(xs, coarse.gridValues(), coarse.scaledCoefficients());
        int n = xs.length;
        double[][] newGrid = new double[in][];
        for (int i = 0; i < in; i++) {
            double[] col = new double[n];
            for (int r = 0; r < n; r++) {
                col[r] = (float) xs[r][i];
            }
            Arrays.sort(col);
            newGrid[i] = adaptiveGrid(col, margin);
        }
        setGrid(newGrid);
        baseWeight.getArray().set(coarse.baseWeight.getArray().toFloatArray());
        float[] s = coarse.splineScaler.getArray().toFloatArray();
        splineScaler.getArray().set(s);
        setSplineWeight(fit(xs, newGrid, target, s));
    }

    private double[] adaptiveGrid(double[] sorted, double margin) {
        int n = sorted.length;
        double step = (float) ((sorted[n - 1] - sorted[0] + 2 * margin) / gridSize);
        double[] g = new double[gridSize + 2 * order + 1];
        for (int j = 0; j <= gridSize; j++) {
            int idx = (int) Math.floor((double) j * (n - 1) / gridSize + 1e-9);
            double uniform = j * step + sorted[0] - margin;
            g[order + j] = gridEps * uniform + (1 - gridEps) * sorted[Math.min(idx, n - 1)];
        }
        for (int j = 1; j <= order; j++) {
            g[order - j] = g[order] - step * j;
            g[order + gridSize + j] = g[order + gridSize] + step * j;
        }
        return g;
    }

    private static double[][] rows(NDArray x) {
        int n = (int) x.getShape().get(0);
        int d = (int) x.getShape().get(1);
        float[] v = x.toType(DataType.FLOAT32, false).toFloatArray();
        double[][] r = new double[n][d];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < d; b++) {
                r[a][b] = v[a * d + b];
            }
        }
        return r;
    }

    private double[][] gridValues() {
        float[] g = grid.getArray().toFloatArray();
        int m = g.length / in;
        double[][] out2 = new double[in][m];
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < m; j++) {
                out2[i][j] = g[i * m + j];
            }
        }
        return out2;
    }

    /** spline_weight · spline_scaler as (out, in, coeff). */
    private double[][][] scaledCoefficients() {
        float[] w = splineWeight.getArray().toFloatArray();
        float[] s = splineScaler.getArray().toFloatArray();
        int c = gridSize + order;
        double[][][] r = new double[out][in][c];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < c; j++) {
                    r[o][i][j] = (double) w[(o * in + i) * c + j] * s[o * in + i];
                }
            }
        }
        return r;
    }

    /** The unreduced spline output per feature: (in, N, out). */
    private double[][][] splineOutputs(double[][] xs, double[][] g, double[][][] coef) {
        int n = xs.length;
        int o2 = coef.length;
        int ord = order;
        double[][][] y = new double[in][n][o2];
        for (int i = 0; i < in; i++) {
            for (int r = 0; r < n; r++) {
                double[] b = BSplineBasis.of(xs[r][i], g[i], ord);
                for (int o = 0; o < o2; o++) {
                    double s = 0;
                    for (int j = 0; j < b.length; j++) {
                        s += b[j] * coef[o][i][j];
                    }
                    y[i][r][o] = s;
                }
            }
        }
        return y;
    }

    /** Least-squares coefficients (out, in, G+k) on grid g for targets (in, N, out); divides by scaler if given. */
    private float[] fit(double[][] xs, double[][] g, double[][][] target, float[] scaler) {
        int n = xs.length;
        int c = gridSize + order;
        float[] w = new float[out * in * c];
        for (int i = 0; i < in; i++) {
            double[][] a = new double[n][];
            for (int r = 0; r < n; r++) {
                a[r] = BSplineBasis.of(xs[r][i], g[i], order);
            }
            double[][] sol = LeastSquares.solve(a, target[i]); // (c, out)
            for (int o = 0; o < out; o++) {
                double div = 1;
                if (scaler != null) {
                    div = scaler[o * in + i];
                    if (Math.abs(div) < 1e-12) {
                        div = 1e-12;
                    }
                }
                for (int j = 0; j < c; j++) {
                    w[(o * in + i) * c + j] = (float) (sol[j][o] / div);
                }
            }
        }
        return w;
    }

    private void setGrid(double[][] g) {
        int m = g[0].length;
        float[] all = new float[in * m];
        for (int i = 0; i < in; i++) {
            for (int j = 0; j < m; j++) {
                all[i * m + j] = (float) g[i][j];
            }
        }
        grid.getArray().set(all);
    }

    private void setSplineWeight(float[] w) {
        splineWeight.getArray().set(w);
    }

    /** kaiming_uniform_(a = √5·scale) on (out, in): U(±√(6 / ((1 + 5·scale²)·in))). */
    private static Initializer kaimingUniform(double scale) {
        return (m, shape, type) -> {
            double bound = Math.sqrt(6.0 / ((1 + 5 * scale * scale) * shape.get(1)));
            return m.randomUniform((float) -bound, (float) bound, shape, type);
        };
    }

    /** The least-squares fit of uniform noise at the interior knots (efficient-kan's reset_parameters). */
    private final class NoiseFit implements Initializer {
        private final double scaleNoise;

        NoiseFit(double scaleNoise) {
            this.scaleNoise = scaleNoise;
        }

        @Override
        public NDArray initialize(NDManager m, Shape shape, DataType type) {
            double[] g = BSplineBasis.uniformGrid(gridSize, order, gridLo, gridHi);
            double[][] a = new double[gridSize + 1][];
            for (int r = 0; r <= gridSize; r++) {
                a[r] = BSplineBasis.of(g[order + r], g, order);
            }
            // noise from the engine's seeded generator, so Engine.setRandomSeed makes the init repeatable
            float[] u = m.randomUniform(0f, 1f, new Shape((long) in * (gridSize + 1) * out)).toFloatArray();
            float[] w = new float[out * in * (gridSize + order)];
            int c = gridSize + order;
            for (int i = 0; i < in; i++) {
                double[][] b = new double[gridSize + 1][out];
                for (int r = 0; r <= gridSize; r++) {
                    for (int o = 0; o < out; o++) {
                        b[r][o] = (u[(r * in + i) * out + o] - 0.5) * scaleNoise / gridSize;
                    }
                }
                double[][] sol = LeastSquares.solve(a, b);
                for (int o = 0; o < out; o++) {
                    for (int j = 0; j < c; j++) {
                        w[(o * in + i) * c + j] = (float) sol[j][o];
                    }
                }
            }
            return m.create(w, shape).toType(type, false);
        }
    }

    @Override
    public String toString() {
        return String.format("BSplineKanLinear(in=%d, out=%d, grid=%d, order=%d)", in, out, gridSize, order);
    }

    /** Builder for {@link BSplineKanLinear}; defaults are efficient-kan's. */
    public static final class Builder {
        private int in;
        private int out;
        private int gridSize = 5;
        private int order = 3;
        private double scaleNoise = 0.1;
        private double scaleBase = 1.0;
        private double scaleSpline = 1.0;
        private double gridEps = 0.02;
        private double gridLo = -1;
        private double gridHi = 1;

        Builder() {}

        /** Input features (required). */
        public Builder setInFeatures(int in) {
            this.in = in;
            return this;
        }

        /** Output features (required). */
        public Builder setOutFeatures(int out) {
            this.out = out;
            return this;
        }

        /** Grid intervals G (default 5). */
        public Builder optGridSize(int gridSize) {
            this.gridSize = gridSize;
            return this;
        }

        /** Spline order k (default 3, cubic). */
        public Builder optSplineOrder(int order) {
            this.order = order;
            return this;
        }

        /** Noise scale of the initial spline coefficients (default 0.1). */
        public Builder optScaleNoise(double scaleNoise) {
            this.scaleNoise = scaleNoise;
            return this;
        }

        /** Scale of the base weight's kaiming init (default 1). */
        public Builder optScaleBase(double scaleBase) {
            this.scaleBase = scaleBase;
            return this;
        }

        /** Scale of the spline scaler's kaiming init (default 1). */
        public Builder optScaleSpline(double scaleSpline) {
            this.scaleSpline = scaleSpline;
            return this;
        }

        /** Weight of the uniform grid in a grid update (default 0.02). */
        public Builder optGridEps(double gridEps) {
            this.gridEps = gridEps;
            return this;
        }

        /** The initial grid's range (default [-1, 1]). */
        public Builder optGridRange(double lo, double hi) {
            this.gridLo = lo;
            this.gridHi = hi;
            return this;
        }

        /**
         * Builds the layer.
         *
         * @throws IllegalArgumentException if a size is not positive, the order is negative or the range is empty
         */
        public BSplineKanLinear build() {
            if (in < 1 || out < 1 || gridSize < 1 || order < 0) {
                throw new IllegalArgumentException(String.format(
                        "BSplineKanLinear needs in, out, gridSize >= 1 and splineOrder >= 0; got in=%d, out=%d, "
                                + "gridSize=%d, splineOrder=%d", in, out, gridSize, order));
            }
            if (!(gridHi > gridLo) || !(gridEps >= 0 && gridEps <= 1) || !(scaleNoise >= 0)) {
                throw new IllegalArgumentException(String.format(
                        "BSplineKanLinear needs gridLo < gridHi, gridEps in [0, 1], scaleNoise >= 0; got [%s, %s], %s,"
                                + " %s", gridLo, gridHi, gridEps, scaleNoise));
            }
            return new BSplineKanLinear(this);
        }
    }
}
