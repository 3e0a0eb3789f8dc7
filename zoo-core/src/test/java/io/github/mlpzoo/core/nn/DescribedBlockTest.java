package io.github.mlpzoo.core.nn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.testkit.TestParams;

import org.junit.jupiter.api.Test;

import java.io.IOException;

/** A saved description or version that differs from the loading block's is refused, naming both. */
class DescribedBlockTest {

    /** A parameter-free block described by a string. */
    private static final class Probe extends DescribedBlock {
        private final String description;

        Probe(int version, String description) {
            super((byte) version);
            this.description = description;
        }

        @Override
        protected String describe() {
            return description;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return inputs;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    private static byte[] saved(Probe p) {
        try (NDManager m = NDManager.newBaseManager()) {
            p.initialize(m, DataType.FLOAT32, new Shape(2, 3));
            return TestParams.save(p);
        }
    }

    private static void load(Probe p, byte[] bytes) throws IOException, MalformedModelException {
        try (NDManager m = NDManager.newBaseManager()) {
            TestParams.load(p, m, bytes);
        }
    }

    @Test
    void sameDescriptionLoadsOthersAreRefused() throws IOException {
        Engines.get();
        byte[] bytes = saved(new Probe(1, "Probe(d=4)"));
        assertDoesNotThrow(() -> load(new Probe(1, "Probe(d=4)"), bytes));
        MalformedModelException other = assertThrows(MalformedModelException.class,
                () -> load(new Probe(1, "Probe(d=8)"), bytes));
        assertEquals("Probe parameters were saved for Probe(d=4); this block is Probe(d=8)", other.getMessage());
        MalformedModelException version = assertThrows(MalformedModelException.class,
                () -> load(new Probe(2, "Probe(d=4)"), bytes));
        assertEquals("Probe parameters have version 1; expected 2", version.getMessage());
    }
}
