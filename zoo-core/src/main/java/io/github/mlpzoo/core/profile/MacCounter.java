package io.github.mlpzoo.core.profile;

import ai.djl.ndarray.types.Shape;

/**
 * Implemented by a block that multiplies in ways {@link ModelProfile} cannot see by itself: a matMul
 * with its own weight parameter (a spatial gating unit, a batch-ensemble layer), a parameter-free
 * batched matMul (token-to-token attention), or a child block that its forward applies more than once.
 *
 * <p>Convention (fvcore, which papers report as "FLOPs"): one MAC per multiply-add, bias additions,
 * activations, normalisation and pooling not counted, batch axis of size 1.
 */
public interface MacCounter {

    /**
     * The multiply-accumulates of one forward of this block, for one sample.
     *
     * @param inputShapes the shapes this block was initialized with, batch axis 0 of size 1
     * @return the block's own MACs, <em>excluding</em> those of its child blocks unless
     *     {@link #includesChildren()} says otherwise
     */
    long macs(Shape[] inputShapes);

    /**
     * Whether {@link #macs} already covers every child block, so the profiler must not descend into the
     * children (for a block whose children are initialized with placeholder shapes, or run several times).
     * Default {@code false}: the profiler adds the children's MACs to {@link #macs}.
     */
    default boolean includesChildren() {
        return false;
    }

    /**
     * The MACs of {@code a.matMul(b)} for {@code a} of shape (..., n, k) and {@code b} of shape
     * (..., k, m), with the leading axes broadcast: {@code prod(broadcast batch) * n * k * m}.
     *
     * @throws IllegalArgumentException if a shape has rank below 2, the inner sizes differ, or the leading
     *     axes do not broadcast
     */
    static long matMul(Shape a, Shape b) {
        int ra = a.dimension();
        int rb = b.dimension();
        if (ra < 2 || rb < 2) {
            throw new IllegalArgumentException(
                    "matMul MACs expect shapes of rank >= 2; got " + a + " and " + b);
        }
        long n = a.get(ra - 2);
        long k = a.get(ra - 1);
        long m = b.get(rb - 1);
        if (b.get(rb - 2) != k) {
            throw new IllegalArgumentException(String.format(
                    "matMul MACs: axis %d of %s must be %d (axis %d of %s); got %d",
                    rb - 2, b, k, ra - 1, a, b.get(rb - 2)));
        }
        long batch = 1;
        for (int i = 1; i <= Math.max(ra, rb) - 2; i++) {
            long da = ra - 2 - i >= 0 ? a.get(ra - 2 - i) : 1;
            long db = rb - 2 - i >= 0 ? b.get(rb - 2 - i) : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(
                        "matMul MACs: leading axes of " + a + " and " + b + " do not broadcast");
            }
            batch *= Math.max(da, db);
        }
        return batch * n * k * m;
    }
}
