package io.github.mlpzoo.core.nn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.nn.ensemble.LinearEnsemble;
import io.github.mlpzoo.core.testkit.TestParams;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A saved description or version that differs from the loading block's is refused, naming both; a corrupted or
 * unchecked file is refused by the integrity check, leaving the block's parameters as they were.
 */
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

    private static Block initialized(Block b, NDManager m) {
        b.initialize(m, DataType.FLOAT32, new Shape(2, 2, 3));
        return b;
    }

    private static List<float[]> values(Block b) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : b.getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    private static boolean same(List<float[]> a, List<float[]> b) {
        return a.size() == b.size() && IntStream.range(0, a.size()).allMatch(i -> Arrays.equals(a.get(i), b.get(i)));
    }

    @Test
    void aFlippedBitOrAMissingCheckIsRefusedAndTheParametersStay() throws Exception {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            Block source = initialized(new LinearEnsemble(3, 2, 2, true), m);
            byte[] bytes = TestParams.save(source);
            Block target = initialized(new LinearEnsemble(3, 2, 2, true), m);
            List<float[]> before = values(target);

            // the 4 bytes before the 8-byte check are the bias's last float, little-endian: flip its lowest bit
            byte[] flipped = bytes.clone();
            flipped[flipped.length - 12] ^= 1;
            MalformedModelException corrupted = assertThrows(MalformedModelException.class,
                    () -> TestParams.load(target, m, flipped));
            assertTrue(corrupted.getMessage().startsWith("LinearEnsemble parameters are corrupted: the bytes read have"
                    + " CRC32C"), corrupted.getMessage());
            assertTrue(same(before, values(target)), "the refused load changed the parameters");

            byte[] unchecked = Arrays.copyOf(bytes, bytes.length - 8);
            MalformedModelException old = assertThrows(MalformedModelException.class,
                    () -> TestParams.load(target, m, unchecked));
            assertTrue(old.getMessage().contains("end before their integrity check"), old.getMessage());
            assertTrue(same(before, values(target)), "the refused load changed the parameters");

            TestParams.load(target, m, bytes);
            assertTrue(same(values(source), values(target)), "the intact file did not load back equal");
        }
    }

    @Test
    void describedBlocksInsideAnotherBlockEachCheckTheirOwnBytes() throws Exception {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            Block saved = initialized(new SequentialBlock().add(new LinearEnsemble(3, 3, 2, true))
                    .add(new LinearEnsemble(3, 2, 2, true)), m);
            byte[] bytes = TestParams.save(saved);
            Block loaded = initialized(new SequentialBlock().add(new LinearEnsemble(3, 3, 2, true))
                    .add(new LinearEnsemble(3, 2, 2, true)), m);
            TestParams.load(loaded, m, bytes);
            assertTrue(same(values(saved), values(loaded)), "the nested blocks did not load back equal");

            // the first child's bytes end with its last float, then its 8-byte check: flip that float's lowest bit
            int firstEnd = TestParams.save(saved.getChildren().get(0).getValue()).length;
            int sequentialHeader = bytes.length - firstEnd - TestParams.save(saved.getChildren().get(1).getValue())
                    .length;
            byte[] flipped = bytes.clone();
            flipped[sequentialHeader + firstEnd - 12] ^= 1;
            MalformedModelException e = assertThrows(MalformedModelException.class,
                    () -> TestParams.load(loaded, m, flipped));
            assertTrue(e.getMessage().contains("are corrupted"), e.getMessage());
        }
    }
}
