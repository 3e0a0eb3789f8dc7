package io.github.mlpzoo.core.nn.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import io.github.mlpzoo.core.Engines;

import org.junit.jupiter.api.Test;

class PatchifyTest {

    /** T=6, C=2, x[t, c] = 10·t + c; patches of 4 every 2: [0..4), [2..6). */
    @Test
    void overlappingPatchesMatchUnfoldByHand() {
        check(new Patchify(6, 4, 2), new float[] {0, 10, 20, 30, 20, 30, 40, 50, 1, 11, 21, 31, 21, 31, 41, 51});
    }

    /** Stride = length takes the reshape path: [0..3), [3..6). */
    @Test
    void disjointPatchesMatchByHand() {
        check(new Patchify(6, 3, 3), new float[] {0, 10, 20, 30, 40, 50, 1, 11, 21, 31, 41, 51});
    }

    private static void check(Patchify p, float[] expected) {
        try (NDManager m = Engines.get().newBaseManager()) {
            float[] x = new float[12];
            for (int t = 0; t < 6; t++) {
                for (int c = 0; c < 2; c++) {
                    x[t * 2 + c] = 10 * t + c;
                }
            }
            NDArray in = m.create(x, new Shape(1, 6, 2));
            NDArray out = p.forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow();
            assertEquals(p.getOutputShapes(new Shape[] {in.getShape()})[0], out.getShape());
            assertArrayEquals(expected, out.toFloatArray());
        }
    }

    @Test
    void contextThatDoesNotTileIsRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Patchify(30, 8, 8));
        assertTrue(e.getMessage().contains("context length 30 does not divide into patches of length 8"),
                e.getMessage());
        assertTrue(e.getMessage().contains("24 or 32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Patchify(8, 8, 8));
    }
}
