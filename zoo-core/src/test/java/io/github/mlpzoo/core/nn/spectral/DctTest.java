package io.github.mlpzoo.core.nn.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.Engines;

import org.junit.jupiter.api.Test;

class DctTest {

    /** D Dᵀ = I for several sizes, and the 2-D transform inverts and keeps the energy (Parseval). */
    @Test
    void orthonormalAndInvertible() {
        Engines.get();
        for (int n : new int[] {1, 2, 7, 14}) {
            float[] d = Dct.matrix(n);
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += (double) d[a * n + i] * d[b * n + i];
                    }
                    assertEquals(a == b ? 1 : 0, s, 1e-6, "n=" + n + " row " + a + "·row " + b);
                }
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(2, 3, 7, 14));
            NDArray dh = Dct.matrix(m, 7);
            NDArray dw = Dct.matrix(m, 14);
            NDArray y = Dct.forward2d(x, dh, dw);
            assertEquals(x.square().sum().getFloat(), y.square().sum().getFloat(), 1e-3);
            assertEquals(0, Dct.inverse2d(y, dh, dw).sub(x).abs().max().getFloat(), 1e-5);
            // a constant image has only the DC coefficient: value √(HW)·c
            NDArray c = m.ones(new Shape(7, 14)).mul(0.5f);
            NDArray yc = Dct.forward2d(c, dh, dw);
            assertEquals(0.5 * Math.sqrt(98), yc.getFloat(0, 0), 1e-5);
            assertEquals(0, yc.abs().sum().getFloat() - yc.getFloat(0, 0), 1e-4);
        }
    }

    /** Against the closed form of one coefficient, DCT-II ortho (scipy's definition). */
    @Test
    void matchesDefinition() {
        float[] d = Dct.matrix(4);
        assertEquals(Math.sqrt(0.5) * Math.cos(Math.PI * 3 * 2 / 8.0), d[2 * 4 + 1], 1e-7);
        assertEquals(0.5, d[0], 1e-7);
    }
}
