package io.github.mlpzoo.core.nn;

import static io.github.mlpzoo.core.nn.InputCheck.ANY;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.Engines;

import org.junit.jupiter.api.Test;

/** The exact messages of InputCheck: BlockContract and users rely on "axis N" and the expected size. */
class InputCheckTest {

    @Test
    void countNamesBlockExpectedAndActual() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputCheck.count("Din", new NDList(), 2));
        assertEquals("Din expects 2 input array(s); got 0", e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> InputCheck.count("Din", null, 1));
        assertEquals("Din expects 1 input array(s); got 0", none.getMessage());
    }

    @Test
    void wrongSizeNamesAxisAndExpectedSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputCheck.shape("Mixer", "input", new Shape(2, 4, 9), ANY, 4, 8));
        assertEquals("Mixer expects input (B, 4, 8): axis 2 must be 8; got (2, 4, 9)", e.getMessage());
        // the first wrong axis is the one named
        IllegalArgumentException first = assertThrows(IllegalArgumentException.class,
                () -> InputCheck.shape("Mixer", "input", new Shape(2, 5, 9), ANY, 4, 8));
        assertEquals("Mixer expects input (B, 4, 8): axis 1 must be 4; got (2, 5, 9)", first.getMessage());
    }

    @Test
    void wrongRankNamesExpectedRank() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputCheck.shape("Mixer", "input", new Shape(2, 4), ANY, 4, 8));
        assertEquals("Mixer expects input of rank 3 (B, 4, 8); got rank 2 (2, 4)", e.getMessage());
    }

    @Test
    void anyAcceptsEverySizeAndIsShownAsBOrStar() {
        assertDoesNotThrow(() -> InputCheck.shape("Pool", "x", new Shape(7, 123, 3), ANY, ANY, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputCheck.shape("Pool", "x", new Shape(7, 123, 4), ANY, ANY, 3));
        assertEquals("Pool expects x (B, *, 3): axis 2 must be 3; got (7, 123, 4)", e.getMessage());
        // a fixed batch size is checked like any other axis
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> InputCheck.shape("Fixed", "x", new Shape(2, 3), 1, 3));
        assertEquals("Fixed expects x (1, 3): axis 0 must be 1; got (2, 3)", batch.getMessage());
    }

    @Test
    void arrayOverloadChecksTheArraysShapeAndType() {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            assertDoesNotThrow(() -> InputCheck.shape("Head", "x", m.zeros(new Shape(2, 3)), ANY, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> InputCheck.shape("Head", "x", m.zeros(new Shape(2, 4)), ANY, 3));
            assertEquals("Head expects x (B, 3): axis 1 must be 3; got (2, 4)", e.getMessage());
            assertDoesNotThrow(() -> InputCheck.float32("Head", "x", m.zeros(new Shape(1))));
            IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                    () -> InputCheck.float32("Head", "x", m.zeros(new Shape(1), DataType.INT64)));
            assertEquals("Head expects x of type float32; got int64", type.getMessage());
        }
    }

    @Test
    void nonEmptyBatch() {
        assertDoesNotThrow(() -> InputCheck.nonEmptyBatch("Loader", "batch", new Shape(1, 3)));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> InputCheck.nonEmptyBatch("Loader", "batch", new Shape(0, 3)));
        assertEquals("Loader expects batch with a batch of at least 1 row; got (0, 3)", empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InputCheck.nonEmptyBatch("Loader", "batch", new Shape()));
    }

    @Test
    void imageChecksCountBatchTypeAndShape() {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            NDList ok = new NDList(m.zeros(new Shape(2, 3, 8, 8)));
            assertEquals(ok.head(), InputCheck.image("Net", ok));
            assertEquals("Net expects 1 input array(s); got 2", assertThrows(IllegalArgumentException.class,
                    () -> InputCheck.image("Net", new NDList(ok.head(), ok.head()))).getMessage());
            assertEquals("Net expects image with a batch of at least 1 row; got (0, 3, 8, 8)",
                    assertThrows(IllegalArgumentException.class,
                            () -> InputCheck.image("Net", new NDList(m.zeros(new Shape(0, 3, 8, 8))))).getMessage());
            assertEquals("Net expects input of type float32; got float64", assertThrows(IllegalArgumentException.class,
                    () -> InputCheck.image("Net", new NDList(m.zeros(new Shape(2, 3, 8, 8), DataType.FLOAT64))))
                    .getMessage());
            assertDoesNotThrow(() -> InputCheck.imageShape("Net", new Shape(2, 3, 8, 5), 3, 8, ANY));
            assertEquals("Net expects input (B, C, H, W) (B, 3, 8, 8): axis 1 must be 3; got (2, 1, 8, 8)",
                    assertThrows(IllegalArgumentException.class,
                            () -> InputCheck.imageShape("Net", new Shape(2, 1, 8, 8), 3, 8, 8)).getMessage());
        }
    }
}
