package io.github.mlpzoo.core.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.mlpzoo.core.Engines;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads the checkpoints of {@code src-test-data/weights} (made by PyTorch 1.13, see the README there) and
 * compares them with the reference values numpy saved in {@code expected.npz}, read by DJL's own decoder.
 */
class StateDictTest {

    static final Path DATA = testData().resolve("weights");
    private static NDManager manager;

    static Path testData() {
        String p = System.getProperty("zoo.testdata");
        if (p == null) {
            throw new IllegalStateException("system property zoo.testdata (the repo's src-test-data) is not set");
        }
        return Paths.get(p);
    }

    @BeforeAll
    static void start() {
        Engines.configureOffline();
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static NDList expected(NDManager m) throws IOException {
        try (InputStream in = Files.newInputStream(DATA.resolve("expected.npz"))) {
            return NDList.decode(m, in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain.pth", "wrapped_model.pth", "module_prefix.pth", "wrapped_state_dict.pth",
        "tensors.safetensors", "tensors.npz"})
    void everyFormatReadsBackTheSameTensors(String file) throws IOException {
        try (NDManager m = manager.newSubManager()) {
            NDList want = expected(m);
            Map<String, NDArray> got = StateDict.read(DATA.resolve(file), m);
            List<String> names = new ArrayList<>();
            for (NDArray a : want) {
                names.add(a.getName());
            }
            assertEquals(names, new ArrayList<>(got.keySet()), "names and order");
            for (NDArray w : want) {
                NDArray g = got.get(w.getName());
                assertEquals(w.getShape(), g.getShape(), w.getName() + " shape");
                assertEquals(w.getDataType(), g.getDataType(), w.getName() + " type");
                assertArrayEquals(w.toByteArray(), g.toByteArray(), w.getName() + " values");
            }
        }
    }

    @Test
    void widensHalfAndBfloat16AndGathersStridedViews() throws IOException {
        try (NDManager m = manager.newSubManager()) {
            Map<String, NDArray> sd = StateDict.read(DATA.resolve("plain.pth"), m);
            assertEquals(DataType.FLOAT32, sd.get("half").getDataType());
            assertEquals(DataType.FLOAT32, sd.get("bf16").getDataType());
            assertEquals(new Shape(5, 4), sd.get("transposed").getShape());
            assertEquals(new Shape(3, 3), sd.get("sliced").getShape());
            // "sliced" is base[1:, 2:] and "transposed" is base.t() of the same (4, 5) storage
            NDArray base = sd.get("transposed").transpose();
            assertArrayEquals(base.get("1:, 2:").toFloatArray(), sd.get("sliced").toFloatArray());
            assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2}, sd.get("expanded").toFloatArray());
            assertEquals(new Shape(), sd.get("scalar").getShape());
            assertEquals(2.5f, sd.get("scalar").getFloat());
            assertEquals(7L, sd.get("bn.num_batches_tracked").getLong());
        }
    }

    @Test
    void halfToFloatIsExactIncludingSpecials() {
        assertEquals(1.0f, Tensors.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, Tensors.halfToFloat((short) 0xc000));
        assertEquals(65504f, Tensors.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, Tensors.halfToFloat((short) 0x0001));
        assertEquals(Float.NEGATIVE_INFINITY, Tensors.halfToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(Tensors.halfToFloat((short) 0x7e00)));
        assertEquals(Float.floatToIntBits(-0.0f), Float.floatToIntBits(Tensors.halfToFloat((short) 0x8000)));
    }

    @Test
    void refusesOsSystemWithoutRunningOrAllocatingAnything() {
        Path marker = Paths.get("/tmp/mlpzoo-pwned");
        try (NDManager m = manager.newSubManager()) {
            IOException e = assertThrows(IOException.class,
                    () -> StateDict.read(DATA.resolve("hostile_os_system.pth"), m));
            assertTrue(e.getMessage().contains("refuses pickle global 'os.system'"), e.getMessage());
            assertTrue(m.getManagedArrays().isEmpty());
        }
        assertFalse(Files.exists(marker), "nothing may have run");
    }

    @Test
    void refusesEvalHiddenAfterARealTensor() {
        try (NDManager m = manager.newSubManager()) {
            IOException e = assertThrows(IOException.class,
                    () -> StateDict.read(DATA.resolve("hostile_eval.pth"), m));
            assertTrue(e.getMessage().contains("'__builtin__.eval'"), e.getMessage());
            assertTrue(m.getManagedArrays().isEmpty(), "the tensor before the bad global is not read either");
        }
    }

    @Test
    void legacyTruncatedAndDataPklLessFilesGiveOneClearError() {
        assertMessage("legacy.pth", "re-save with torch>=1.6");
        assertMessage("truncated.pth", "truncated or corrupt zip archive");
        assertMessage("no_data_pkl.pth", "zip archive without data.pkl");
        assertMessage("huge_header.safetensors", "claims 1000000000000 elements");
    }

    private static void assertMessage(String file, String part) {
        try (NDManager m = manager.newSubManager()) {
            IOException e = assertThrows(IOException.class, () -> StateDict.read(DATA.resolve(file), m));
            assertTrue(e.getMessage().startsWith(DATA.resolve(file).toString()), e.getMessage());
            assertTrue(e.getMessage().contains(part), e.getMessage());
            assertTrue(m.getManagedArrays().isEmpty());
        }
    }

    @Test
    void storageClaimingTenToTheTwelveElementsIsRefusedBeforeAllocation(@TempDir Path dir) throws IOException {
        byte[] pickle = new Pickles().op('}').str("w")
                .tensor("0", 1_000_000_000_000L, 0, new long[] {1_000_000, 1_000_000}, new long[] {1_000_000, 1})
                .op('s').op('.').bytes();
        Path f = Pickles.torchZip(dir.resolve("huge.pth"), pickle, Map.of("0", new byte[16]));
        try (NDManager m = manager.newSubManager()) {
            IOException e = assertThrows(IOException.class, () -> StateDict.read(f, m));
            assertTrue(e.getMessage().contains("claims 1000000000000 elements"), e.getMessage());
        }
    }

    @Test
    void viewOutsideItsStorageAndMissingStorageAreRefused(@TempDir Path dir) throws IOException {
        byte[] beyond = new Pickles().op('}').str("w")
                .tensor("0", 4, 2, new long[] {2, 2}, new long[] {2, 1}).op('s').op('.').bytes();
        Path f = Pickles.torchZip(dir.resolve("beyond.pth"), beyond, Map.of("0", new byte[16]));
        byte[] missing = new Pickles().op('}').str("w")
                .tensor("7", 4, 0, new long[] {4}, new long[] {1}).op('s').op('.').bytes();
        Path g = Pickles.torchZip(dir.resolve("missing.pth"), missing, Map.of("0", new byte[16]));
        byte[] shortEntry = new Pickles().op('}').str("w")
                .tensor("0", 8, 0, new long[] {8}, new long[] {1}).op('s').op('.').bytes();
        Path h = Pickles.torchZip(dir.resolve("short.pth"), shortEntry, Map.of("0", new byte[16]));
        try (NDManager m = manager.newSubManager()) {
            assertTrue(assertThrows(IOException.class, () -> StateDict.read(f, m)).getMessage()
                    .contains("reads element 5 of a storage holding 4"));
            assertTrue(assertThrows(IOException.class, () -> StateDict.read(g, m)).getMessage()
                    .contains("no entry archive/data/7"));
            assertTrue(assertThrows(IOException.class, () -> StateDict.read(h, m)).getMessage()
                    .contains("but its zip entry holds 16"));
            assertTrue(m.getManagedArrays().isEmpty());
        }
    }

    @Test
    void craftedCheckpointWithOffsetAndStrideReadsTheRightElements(@TempDir Path dir) throws IOException {
        ByteBuffer storage = ByteBuffer.allocate(12 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 12; i++) {
            storage.putFloat(i);
        }
        // a (2, 3) view with stride (4, 2) starting at element 1: rows [1, 3, 5] and [5, 7, 9]
        byte[] pickle = new Pickles().global("collections", "OrderedDict").op(')').op('R').str("v")
                .tensor("0", 12, 1, new long[] {2, 3}, new long[] {4, 2}).op('s').op('.').bytes();
        Path f = Pickles.torchZip(dir.resolve("view.pth"), pickle, Map.of("0", storage.array()));
        try (NDManager m = manager.newSubManager()) {
            NDArray v = StateDict.read(f, m).get("v");
            assertArrayEquals(new float[] {1, 3, 5, 5, 7, 9}, v.toFloatArray());
        }
    }

    @Test
    void otherGlobalsAndOpcodesAreRefusedByName() {
        byte[] stackGlobal = new Pickles().str("subprocess").str("Popen").op(0x93).op('.').bytes();
        IOException e = assertThrows(IOException.class, () -> Unpickler.load(stackGlobal));
        assertTrue(e.getMessage().contains("'subprocess.Popen'"), e.getMessage());
        byte[] storageCall = new Pickles().global("torch", "FloatStorage").op(')').op('R').op('.').bytes();
        e = assertThrows(IOException.class, () -> Unpickler.load(storageCall));
        assertTrue(e.getMessage().contains("torch.FloatStorage cannot be called"), e.getMessage());
        byte[] shortStorage = new Pickles().global("torch", "ShortStorage").op('.').bytes();
        e = assertThrows(IOException.class, () -> Unpickler.load(shortStorage));
        assertTrue(e.getMessage().contains("'torch.ShortStorage'"), e.getMessage());
        byte[] inst = new Pickles().op('(').op('i').bytes();
        byte[] withName = new byte[inst.length + "builtins\nprint\n".length()];
        System.arraycopy(inst, 0, withName, 0, inst.length);
        System.arraycopy("builtins\nprint\n".getBytes(), 0, withName, inst.length, 15);
        e = assertThrows(IOException.class, () -> Unpickler.load(withName));
        assertTrue(e.getMessage().contains("'builtins.print'"), e.getMessage());
        byte[] ext = new Pickles().op(0x82).op(1).op('.').bytes();
        e = assertThrows(IOException.class, () -> Unpickler.load(ext));
        assertTrue(e.getMessage().contains("unsupported pickle opcode 0x82"), e.getMessage());
        byte[] noStop = new Pickles().op('}').bytes();
        e = assertThrows(IOException.class, () -> Unpickler.load(noStop));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void wrappedDictWithoutTensorsIsExplained(@TempDir Path dir) throws IOException {
        byte[] pickle = new Pickles().op('}').str("epoch").integer(3).op('s').op('.').bytes();
        Path f = Pickles.torchZip(dir.resolve("notensors.pth"), pickle, Map.of());
        try (NDManager m = manager.newSubManager()) {
            IOException e = assertThrows(IOException.class, () -> StateDict.read(f, m));
            assertTrue(e.getMessage().contains("keys [epoch] and no tensors"), e.getMessage());
        }
    }

    /** One .npy member: a header for {@code shape} of float32, then {@code data}. */
    private static byte[] npy(String shape, byte[] data) {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
        header = header + " ".repeat((64 - (10 + header.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 1)
                .put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(data);
        return b.array();
    }

    private static Path npz(Path file, Map<String, byte[]> members) throws IOException {
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                z.putNextEntry(new java.util.zip.ZipEntry(e.getKey() + ".npy"));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return file;
    }

    @Test
    void npzMembersAreReadWithTheirNamesAndAreChecked(@TempDir Path dir) throws IOException {
        ByteBuffer v = ByteBuffer.allocate(6 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            v.putFloat(i - 2.5f);
        }
        Path ok = npz(dir.resolve("ok.npz"), new java.util.LinkedHashMap<>(
                Map.of("w", npy("2, 3", v.array()))));
        Path trailing = npz(dir.resolve("trailing.npz"), Map.of("w", npy("2, 2", v.array())));
        try (NDManager m = manager.newSubManager()) {
            NDArray w = StateDict.read(ok, m).get("w");
            assertEquals(new Shape(2, 3), w.getShape());
            assertArrayEquals(new float[] {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f}, w.toFloatArray());
            IOException e = assertThrows(IOException.class, () -> StateDict.read(trailing, m));
            assertTrue(e.getMessage().contains("needs 16 data bytes but holds 24"), e.getMessage());
        }
    }

    /**
     * A zip bomb: nine members whose central directory declares 1 GiB each (a (2^28,) float32 .npy) but that
     * hold a few bytes. The declared 9 GiB exceed the 8 GiB cap, so nothing is read past the headers and
     * nothing is allocated; with the cap lowered, genuine data over it is refused the same way.
     */
    @Test
    void npzZipBombIsRefusedBeforeAllocating(@TempDir Path dir) throws IOException {
        Map<String, byte[]> members = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 9; i++) {
            members.put("m" + i, npy(Integer.toString(1 << 28) + ",", new byte[16]));
        }
        Path bomb = npz(dir.resolve("bomb.npz"), members);
        long declared = (1L << 30) + npy(Integer.toString(1 << 28) + ",", new byte[0]).length;
        patchDeclaredSizes(bomb, declared);
        try (NDManager m = manager.newSubManager()) {
            IOException e = assertThrows(IOException.class, () -> StateDict.read(bomb, m));
            assertTrue(e.getMessage().contains("member 'm8' brings the tensors declared so far to 9663676416"
                    + " bytes; at most 8589934592 accepted"), e.getMessage());
            assertTrue(m.getManagedArrays().isEmpty());
        }
        Path real = npz(dir.resolve("real.npz"), Map.of("a", npy("4096,", new byte[16384]),
                "b", npy("4096,", new byte[16384])));
        String old = System.getProperty("zoo.maxWeightBytes");
        System.setProperty("zoo.maxWeightBytes", "20000");
        try (NDManager m = manager.newSubManager()) {
            IOException e = assertThrows(IOException.class, () -> StateDict.read(real, m));
            assertTrue(e.getMessage().contains("32768 bytes; at most 20000 accepted"), e.getMessage());
            assertTrue(m.getManagedArrays().isEmpty());
            e = assertThrows(IOException.class, () -> Weights.readArrays(real, m));
            assertTrue(e.getMessage().contains("32768 bytes; at most 20000 accepted"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty("zoo.maxWeightBytes");
            } else {
                System.setProperty("zoo.maxWeightBytes", old);
            }
        }
    }

    /** Sets the uncompressed size of every entry of the zip's central directory to {@code size}. */
    private static void patchDeclaredSizes(Path zip, long size) throws IOException {
        byte[] b = Files.readAllBytes(zip);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int patched = 0;
        for (int i = 0; i + 46 <= b.length; i++) {
            if (bb.getInt(i) == 0x02014b50) { // central directory file header
                bb.putInt(i + 24, (int) size);
                patched++;
            }
        }
        assertEquals(9, patched);
        Files.write(zip, b);
    }
}
