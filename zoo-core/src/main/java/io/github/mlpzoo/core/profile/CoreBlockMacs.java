package io.github.mlpzoo.core.profile;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

import io.github.mlpzoo.core.nn.ctr.BilinearFusion;
import io.github.mlpzoo.core.nn.embeddings.PeriodicEmbeddings;
import io.github.mlpzoo.core.nn.embeddings.PiecewiseLinearEmbeddings;
import io.github.mlpzoo.core.nn.ensemble.BatchEnsembleLinear;
import io.github.mlpzoo.core.nn.ensemble.LinearEnsemble;

/**
 * MAC rules for zoo-core's own blocks that multiply by a weight with a batched matMul instead of a Linear child.
 * Each rule counts the matMuls of the block's forward, as fvcore counts them on the official PyTorch module;
 * element-wise products with a weight (BatchEnsemble's r and s, the piecewise-linear encoding and its
 * {@code linear0}, the periodic frequencies) are element-wise ops and not counted. Sizes come from the input shape
 * the block recorded (batch axis 1) and from its initialized parameters.
 */
final class CoreBlockMacs {

    private CoreBlockMacs() {}

    /** Whether {@link #of} has a rule for {@code block}. */
    static boolean covers(Block block) {
        return block instanceof LinearEnsemble || block instanceof BatchEnsembleLinear
                || block instanceof PiecewiseLinearEmbeddings || block instanceof PeriodicEmbeddings
                || block instanceof BilinearFusion;
    }

    /**
     * The block's own MACs for its recorded inputs {@code in}; children (BilinearFusion's two Linears) are left
     * to the walk.
     */
    static long of(Block block, Shape[] in, String where) {
        Shape x = in[0];
        if (block instanceof LinearEnsemble) {
            // x (1, k, in) -> transpose (k, 1, in) @ weight (k, in, out)
            Shape w = weight(block, "weight", 3, where);
            return MacCounter.matMul(new Shape(x.get(1), x.get(0), x.get(2)), w);
        }
        if (block instanceof BatchEnsembleLinear) {
            // (x ⊙ r) (1, k, in) @ weightᵀ (in, out)
            Shape w = weight(block, "weight", 2, where);
            return MacCounter.matMul(x, new Shape(w.get(1), w.get(0)));
        }
        if (block instanceof PiecewiseLinearEmbeddings || block instanceof PeriodicEmbeddings) {
            // x (1, n) -> encoding (n, 1, T) @ linear_weight (n, T, d); T = bins, or 2 x frequencies
            Shape w = weight(block, "linear_weight", 3, where);
            if (x.dimension() != 2 || x.get(1) != w.get(0)) {
                throw new IllegalArgumentException(String.format(
                        "%s (%s) receives %s but linear_weight is %s: expected input (B, %d)",
                        where, block.getClass().getSimpleName(), x, w, w.get(0)));
            }
            return MacCounter.matMul(new Shape(x.get(1), x.get(0), w.get(1)), w);
        }
        if (block instanceof BilinearFusion) {
            // FuxiCTR InteractionAggregation: (x_j (1, h, 1, hx) @ W (h, hx, hy * out)) viewed (1, h, out, hy)
            // @ y_j (1, h, hy, 1); w_xy has h * hx * hy = dx * dy / h rows
            Shape w = weight(block, "wxy", 2, where);
            Shape y = in[1];
            long dx = x.get(x.dimension() - 1);
            long dy = y.get(y.dimension() - 1);
            if (w.get(0) == 0 || (dx * dy) % w.get(0) != 0) {
                throw new IllegalArgumentException(String.format(
                        "%s (BilinearFusion) receives x %s and y %s but wxy is %s: rows must divide dx * dy",
                        where, x, y, w));
            }
            long heads = dx * dy / w.get(0);
            long hx = dx / heads;
            long hy = dy / heads;
            long out = w.get(1);
            return MacCounter.matMul(new Shape(1, heads, 1, hx), new Shape(heads, hx, hy * out))
                    + MacCounter.matMul(new Shape(1, heads, out, hy), new Shape(1, heads, hy, 1));
        }
        throw new IllegalArgumentException(where + ": no MAC rule for " + block.getClass().getName());
    }

    private static Shape weight(Block block, String name, int rank, String where) {
        Parameter p = block.getDirectParameters().get(name);
        if (p == null || !p.isInitialized() || p.getArray().getShape().dimension() != rank) {
            throw new IllegalStateException(String.format(
                    "%s (%s): expected an initialized rank-%d parameter %s", where,
                    block.getClass().getSimpleName(), rank, name));
        }
        return p.getArray().getShape();
    }
}
