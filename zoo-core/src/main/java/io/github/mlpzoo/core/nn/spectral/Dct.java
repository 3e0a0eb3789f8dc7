package io.github.mlpzoo.core.nn.spectral;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The orthonormal DCT-II as a matrix, and the 2-D transform of the last two axes by two matrix products
 * ({@code scipy.fft.dctn(x, type=2, norm='ortho')}; used by DSM's spectral token mixing):
 * <pre>
 *   D[k, n] = s_k · cos(π (2n + 1) k / (2N)),   s_0 = √(1/N),  s_k = √(2/N) for k &gt; 0
 *   DCT2(X) = D_H · X · D_Wᵀ,    X = D_Hᵀ · DCT2(X) · D_W   (D is orthogonal: D Dᵀ = I)
 * </pre>
 * The matrix is built once in Java (double precision, rounded to float32) and applied with {@code matMul}, which
 * DJL has; there is no rfft in DJL 0.29. Shapes: any {@code (..., H, W)}.
 */
public final class Dct {

    private Dct() {}

    /** The N×N orthonormal DCT-II matrix, row k = frequency k. */
    public static float[] matrix(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("DCT size must be >= 1; got " + n);
        }
        float[] d = new float[n * n];
        for (int k = 0; k < n; k++) {
            double s = k == 0 ? Math.sqrt(1.0 / n) : Math.sqrt(2.0 / n);
            for (int i = 0; i < n; i++) {
                d[k * n + i] = (float) (s * Math.cos(Math.PI * (2 * i + 1) * k / (2.0 * n)));
            }
        }
        return d;
    }

    /** {@link #matrix} as an array on {@code manager}, shape (N, N). */
    public static NDArray matrix(NDManager manager, int n) {
        return manager.create(matrix(n), new Shape(n, n));
    }

    /** The 2-D DCT-II of the last two axes: {@code dh · x · dwᵀ}, with dh (H, H) and dw (W, W) from {@link #matrix}. */
    public static NDArray forward2d(NDArray x, NDArray dh, NDArray dw) {
        return dh.matMul(x).matMul(dw.transpose());
    }

    /** The inverse of {@link #forward2d}: {@code dhᵀ · y · dw}. */
    public static NDArray inverse2d(NDArray y, NDArray dh, NDArray dw) {
        return dh.transpose().matMul(y).matMul(dw);
    }
}
