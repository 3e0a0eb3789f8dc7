package io.github.mlpzoo.core.nn.kan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;

/**
 * B-spline bases by the Cox–de Boor recursion, as efficient-kan's {@code KANLinear.b_splines} computes them: order 0
 * is the indicator of the half-open knot interval {@code [g_j, g_{j+1})}, and order k is
 * <pre>
 *   B_{j,k}(x) = (x − g_j)/(g_{j+k} − g_j) · B_{j,k−1}(x) + (g_{j+k+1} − x)/(g_{j+k+1} − g_{j+1}) · B_{j+1,k−1}(x)
 * </pre>
 * A grid of M knots gives M − 1 − order bases. Two forms: on NDArrays (the layer's forward, differentiable in x) and
 * on doubles (initialization and grid update).
 */
final class BSplineBasis {

    private BSplineBasis() {}

    /**
     * The bases of every input feature: x (N, in), grid (in, M) → (N, in, M − 1 − order). Slices of the grid are
     * attached to x's manager, so nothing is left on the parameter's manager.
     *
     * <p>Computed with fewer passes over (N, in, M) than the recursion as written: the differences
     * {@code d_j = x − g_j} are taken once, so {@code x − g_j} and {@code g_{j+k+1} − x} are views of them; the
     * grid-only factors {@code 1/(g_{j+k} − g_j)} are (in, M)-sized; and, the knots being sorted (they are, by
     * construction and after every grid update), order 1 is the hat {@code max(0, min(rising_j, falling_j))} of
     * two ramps of d (for order 0 alone, the indicator {@code [g_j ≤ x < g_{j+1}]} is
     * {@code [d_j ≥ 0] − [d_{j+1} ≥ 0]}). 15 full-size native ops for order 3 instead of 25; the same values up to
     * float rounding (the gradient in x may differ only exactly at a knot).
     */
    static NDArray of(NDArray x, NDArray grid, int order) {
        NDManager mgr = x.getManager();
        long m = grid.getShape().get(1);
        NDArray g = grid.expandDims(0); // (1, in, M)
        g.attach(mgr);
        NDArray d = x.expandDims(2).sub(g); // (N, in, M): x − g_j
        boolean inPlace = !d.hasGradient();
        NDArray bases;
        int from;
        if (order == 0) {
            NDArray atOrAbove = d.gte(0f).toType(DataType.FLOAT32, false);
            bases = last(atOrAbove, 0, m - 1).sub(last(atOrAbove, 1, m)); // (N, in, M − 1)
            from = 1;
        } else {
            // order 1 directly: the hat min((x − g_j)/(g_{j+1} − g_j), (g_{j+2} − x)/(g_{j+2} − g_{j+1})), floored at
            // 0, which is the recursion's value on sorted knots (both are 0 outside [g_j, g_{j+2}], the left ramp
            // on [g_j, g_{j+1}), the right one on [g_{j+1}, g_{j+2}), and 1 at g_{j+1} from both sides)
            NDArray up = slice(grid, 1, m, mgr).sub(slice(grid, 0, m - 1, mgr)).getNDArrayInternal().rdiv(1f); // (in, M−1)
            NDArray rising = last(d, 0, m - 2).mul(slice(up, 0, m - 2, mgr).expandDims(0));
            NDArray falling = last(d, 2, m).mul(slice(up, 1, m - 1, mgr).neg().expandDims(0));
            NDArray hat = rising.minimum(falling);
            if (inPlace) {
                rising.close();
                falling.close();
            }
            bases = Activation.relu(hat); // (N, in, M − 2)
            if (inPlace) {
                hat.close();
            }
            from = 2;
        }
        for (int k = from; k <= order; k++) {
            long n = bases.getShape().get(2); // M − k
            NDArray gLo = slice(grid, 0, m - k - 1, mgr);
            NDArray upLeft = slice(grid, k, m - 1, mgr).sub(gLo).expandDims(0).getNDArrayInternal().rdiv(1f);
            NDArray g1 = slice(grid, 1, m - k, mgr);
            // g_{j+k+1} − x = −d_{j+k+1}: the sign goes into the (in, M)-sized factor
            NDArray upRight = g1.sub(slice(grid, k + 1, m, mgr)).expandDims(0).getNDArrayInternal().rdiv(1f);
            NDArray left = last(d, 0, m - k - 1).mul(upLeft);
            NDArray right = last(d, k + 1, m).mul(upRight);
            if (inPlace) { // no autograd: 2 fresh tensors per level instead of 5, the previous level freed
                left.muli(last(bases, 0, n - 1));
                right.muli(last(bases, 1, n));
                bases.close();
                bases = left.addi(right);
                right.close();
            } else {
                bases = left.mul(last(bases, 0, n - 1)).add(right.mul(last(bases, 1, n)));
            }
        }
        return bases;
    }

    private static NDArray last(NDArray a, long from, long to) {
        return a.get(new NDIndex(":, :, {}:{}", from, to));
    }

    private static NDArray slice(NDArray grid, long from, long to, NDManager mgr) {
        NDArray s = grid.get(new NDIndex(":, {}:{}", from, to));
        s.attach(mgr);
        return s;
    }

    /** The bases at one point of one feature: grid of M knots → M − 1 − order values. */
    static double[] of(double x, double[] grid, int order) {
        int m = grid.length;
        double[] b = new double[m - 1];
        for (int j = 0; j < m - 1; j++) {
            b[j] = x >= grid[j] && x < grid[j + 1] ? 1 : 0;
        }
        for (int k = 1; k <= order; k++) {
            double[] nb = new double[m - 1 - k];
            for (int j = 0; j < nb.length; j++) {
                nb[j] = (x - grid[j]) / (grid[j + k] - grid[j]) * b[j]
                        + (grid[j + k + 1] - x) / (grid[j + k + 1] - grid[j + 1]) * b[j + 1];
            }
            b = nb;
        }
        return b;
    }

    /** efficient-kan's initial grid: {@code arange(-order, size + order + 1) · h + lo}, h = (hi − lo) / size. */
    static double[] uniformGrid(int size, int order, double lo, double hi) {
        double h = (hi - lo) / size;
        double[] g = new double[size + 2 * order + 1];
        for (int j = 0; j < g.length; j++) {
            g[j] = (j - order) * h + lo;
        }
        return g;
    }
}
