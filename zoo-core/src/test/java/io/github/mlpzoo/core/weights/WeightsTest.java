package io.github.mlpzoo.core.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.mlpzoo.core.Engines;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the state_dict of PyTorch's {@code nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3))} (perturbed,
 * BatchNorm statistics included; {@code src-test-data/weights/seq.pth}) into the equivalent DJL block and
 * checks the eval-mode output PyTorch computed, then checks that every kind of misfit is reported at once
 * and leaves the block unchanged.
 */
class WeightsTest {

    private static final Path DATA = StateDictTest.DATA;
    private static NDManager manager;

    /** Official {@code nn.Sequential} indices to DJL's {@code SequentialBlock} children. */
    static final KeyMap SEQ = KeyMap.builder()
            .rename("0\\.(weight|bias)", "01Linear_{1}")
            .rename("1\\.weight", "02BatchNorm_gamma")
            .rename("1\\.bias", "02BatchNorm_beta")
            .rename("1\\.running_mean", "02BatchNorm_runningMean")
            .rename("1\\.running_var", "02BatchNorm_runningVar")
            .build();

    @BeforeAll
    static void start() {
        Engines.configureOffline();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static Block seq(NDManager m) {
        SequentialBlock b = new SequentialBlock()
                .add(Linear.builder().setUnits(3).build())
                .add(BatchNorm.builder().build());
        b.initialize(m, DataType.FLOAT32, new Shape(5, 4));
        return b;
    }

    private static Map<String, byte[]> snapshot(Block b) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : b.getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toByteArray());
        }
        return out;
    }

    private static void assertUnchanged(Map<String, byte[]> before, Block b) {
        Map<String, byte[]> after = snapshot(b);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k + " changed"));
    }

    @Test
    void loadsLinearAndBatchNormIncludingRunningStatsAndMatchesPyTorch() throws IOException {
        try (NDManager m = manager.newSubManager()) {
            Block block = seq(m);
            Map<String, NDArray> sd = StateDict.read(DATA.resolve("seq.pth"), m);
            assertTrue(sd.containsKey("1.num_batches_tracked"));
            Weights.load(block, sd, SEQ);
            assertArrayEquals(sd.get("1.running_var").toFloatArray(),
                    block.getParameters().get("02BatchNorm_runningVar").getArray().toFloatArray());
            NDArray x = Weights.readArrays(DATA.resolve("seq_input.npy"), m).singletonOrThrow();
            NDArray want = Weights.readArrays(DATA.resolve("seq_output.npy"), m).singletonOrThrow();
            NDArray got = block.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            float err = got.sub(want).abs().max().getFloat();
            assertTrue(err <= 1e-6f, "max abs error " + err);
        }
    }

    @Test
    void missingUnexpectedAndMisshapedKeysAreReportedTogetherAndNothingChanges() throws IOException {
        try (NDManager m = manager.newSubManager()) {
            Block block = seq(m);
            Map<String, byte[]> before = snapshot(block);
            Map<String, NDArray> sd = new LinkedHashMap<>(StateDict.read(DATA.resolve("seq.pth"), m));
            sd.put("0.weight", m.ones(new Shape(4, 3)));       // transposed: mis-shaped
            sd.remove("1.running_mean");                        // missing
            sd.put("head.weight", m.ones(new Shape(1)));       // no rule
            sd.put("1.bias", m.zeros(new Shape(3)));           // fits, but must not be copied
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Weights.load(block, sd, SEQ));
            String msg = e.getMessage();
            assertTrue(msg.contains("1 missing, 1 unexpected, 1 mis-shaped; the block was left unchanged"), msg);
            assertTrue(msg.contains("02BatchNorm_runningMean"), msg);
            assertTrue(msg.contains("head.weight (no key-map rule matches it)"), msg);
            assertTrue(msg.contains("0.weight -> 01Linear_weight: checkpoint has (4, 3), the block expects (3, 4)"),
                    msg);
            assertUnchanged(before, block);
        }
    }

    @Test
    void badFilesLeaveTheBlockUnchanged() {
        try (NDManager m = manager.newSubManager()) {
            Block block = seq(m);
            Map<String, byte[]> before = snapshot(block);
            for (String f : new String[] {"truncated.pth", "hostile_os_system.pth", "no_data_pkl.pth"}) {
                assertThrows(IOException.class, () -> Weights.load(block, StateDict.read(DATA.resolve(f), m), SEQ));
            }
            assertUnchanged(before, block);
        }
    }

    @Test
    void twoKeysForOneParameterAndUnknownTargetsAreUnexpected() throws IOException {
        try (NDManager m = manager.newSubManager()) {
            Block block = seq(m);
            Map<String, NDArray> sd = new LinkedHashMap<>(StateDict.read(DATA.resolve("seq.pth"), m));
            KeyMap map = KeyMap.builder()
                    .rename("0\\.(weight|bias)", "01Linear_{1}")
                    .rename("1\\.(weight|bias)", "01Linear_bias")
                    .rename("1\\.running_(mean|var)", "03BatchNorm_{1}")
                    .build();
            String msg = assertThrows(IllegalArgumentException.class, () -> Weights.load(block, sd, map))
                    .getMessage();
            assertTrue(msg.contains("1.weight -> 01Linear_bias (already loaded from 0.bias)"), msg);
            assertTrue(msg.contains("1.running_mean -> 03BatchNorm_mean (the block has no such parameter)"), msg);
            assertTrue(msg.contains("4 missing"), msg);
        }
    }

    @Test
    void doublePrecisionIsConvertedAndTransformsApply() {
        try (NDManager m = manager.newSubManager()) {
            Block block = new SequentialBlock().add(Linear.builder().setUnits(2).optBias(false).build());
            block.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            Map<String, NDArray> sd = Map.of("proj.weight",
                    m.create(new double[] {1, 2, 3, 4, 5, 6}, new Shape(3, 2)));
            KeyMap map = KeyMap.builder().rename("proj\\.weight", "01Linear_weight", NDArray::transpose).build();
            Weights.load(block, sd, map);
            NDArray w = block.getParameters().get("01Linear_weight").getArray();
            assertEquals(DataType.FLOAT32, w.getDataType());
            assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, w.toFloatArray());
        }
    }

    @Test
    void uninitializedBlockIsRefused() {
        Block block = new SequentialBlock().add(Linear.builder().setUnits(2).build());
        assertThrows(IllegalStateException.class, () -> Weights.load(block, Map.of(), SEQ));
    }

    @Test
    void keyMapTemplates() {
        KeyMap map = KeyMap.builder()
                .ignore("aux\\..*")
                .rename("blocks\\.(\\d+)\\.(\\d+)\\.(weight|bias)", "01Seq_{1+1}Block_{2*2+1}Linear_{3}")
                .rename("head\\.(\\w+)", "{1}")
                .build();
        assertEquals("01Seq_03Block_05Linear_bias", map.map("blocks.2.2.bias"));
        assertEquals("01Seq_10Block_01Linear_weight", map.map("blocks.9.0.weight"));
        assertEquals("weight", map.map("head.weight"));
        assertNull(map.map("aux.weight"));
        assertNull(map.map("bn.num_batches_tracked"));
        assertNull(map.map("blocks.x.0.weight"));
        assertThrows(IllegalArgumentException.class, () -> KeyMap.builder().rename("a(\\d)", "{2}"));
        assertThrows(IllegalArgumentException.class, () -> KeyMap.builder().rename("a(\\d)", "{1+}"));
    }

    @Test
    void writesNpyThatReadsBack(@TempDir Path dir) throws IOException {
        try (NDManager m = manager.newSubManager()) {
            NDArray a = m.arange(24f).reshape(2, 3, 4);
            NDArray b = m.create(new long[] {7, -1});
            NDArray s = m.create(1.5f);
            for (NDArray x : new NDArray[] {a, b, s}) {
                Path f = dir.resolve("x.npy");
                Weights.writeArrays(new NDList(x), f);
                NDArray y = Weights.readArrays(f, m).singletonOrThrow();
                assertEquals(x.getShape(), y.getShape());
                assertEquals(x.getDataType(), y.getDataType());
                assertArrayEquals(x.toByteArray(), y.toByteArray());
            }
            Path z = dir.resolve("xy.npz");
            Weights.writeArrays(new NDList(a, b), z);
            NDList back = Weights.readArrays(z, m);
            assertEquals(2, back.size());
            assertArrayEquals(b.toByteArray(), back.get(1).toByteArray());
            assertThrows(IllegalArgumentException.class,
                    () -> Weights.writeArrays(new NDList(a, b), dir.resolve("two.npy")));
        }
    }
}
