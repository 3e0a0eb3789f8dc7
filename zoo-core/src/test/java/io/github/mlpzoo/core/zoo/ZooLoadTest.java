package io.github.mlpzoo.core.zoo;

import static io.github.mlpzoo.core.testkit.TestParams.same;
import static io.github.mlpzoo.core.testkit.TestParams.snapshot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;

import io.github.mlpzoo.core.nn.ensemble.LinearEnsemble;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@link Zoo#save} and {@link Zoo#load} on damaged checkpoints: a truncated, bit-flipped, spoiled-magic or
 * over-long params file, with and without its checksum file, and another config's params, each give one
 * exception naming the file and the problem, and leave the model's parameters exactly as they were.
 */
class ZooLoadTest {

    record Config(int in, int hidden, int out) {}

    private static final Variant<Config> TINY = Variant.builder("tiny_mlp", new Config(4, 8, 2))
            .setDomain("tabular")
            .setPaper("Test, Tiny, 2024")
            .setOfficialRepo("example/tiny")
            .optSummary("a test variant")
            .setFactory(c -> new SequentialBlock()
                    .add(Linear.builder().setUnits(c.hidden()).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(c.out()).build()))
            .setInputs(c -> new DataDesc[] {new DataDesc(new Shape(1, c.in()), "x")})
            .addAnchor(new Anchor("toy", "rmse", 0.5, "made up"))
            .build();

    private static final Map<String, String> CONFIG = Map.of("hidden", "3");

    /** A variant whose top block is a described block: its parameters end with their CRC32C. */
    private static final Variant<Config> ENSEMBLE = Variant.builder("tiny_ensemble", new Config(4, 8, 2))
            .setDomain("tabular")
            .setPaper("Test, Tiny, 2024")
            .setOfficialRepo("example/tiny")
            .optSummary("a test variant")
            .setFactory(c -> new LinearEnsemble(c.in(), c.out(), 2, true))
            .setInputs(c -> new DataDesc[] {new DataDesc(new Shape(1, 2, c.in()), "x")})
            .build();

    @BeforeEach
    void install() throws ReflectiveOperationException {
        registry().set(null, Map.of(TINY.name(), TINY, ENSEMBLE.name(), ENSEMBLE));
    }

    @AfterEach
    void restore() throws ReflectiveOperationException {
        registry().set(null, null);
    }

    private static Field registry() throws NoSuchFieldException {
        Field f = Zoo.class.getDeclaredField("registry");
        f.setAccessible(true);
        return f;
    }

    /** Saves seed 1 to {@code tmp/ckpt}; returns its parameters. */
    private static List<float[]> saveOne(Path dir) throws IOException {
        try (Model m = Zoo.newModel("tiny_mlp", CONFIG, 1)) {
            m.setProperty("Epoch", "7");
            Zoo.save(m, "tiny_mlp", CONFIG, dir);
            return snapshot(m);
        }
    }

    @Test
    void savedCheckpointLoadsWholeWithItsProperties(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ckpt");
        List<float[]> saved = saveOne(dir);
        List<String> sums = Files.readAllLines(dir.resolve(ParamsFile.CHECKSUM_FILE));
        assertEquals(1, sums.size(), sums.toString());
        assertTrue(sums.get(0).matches("[0-9a-f]{64} \\d+ ckpt-0007\\.params"), sums.toString());
        try (Model m = Zoo.newModel("tiny_mlp", CONFIG, 9)) {
            assertFalse(same(saved, snapshot(m)));
            Zoo.load(m, dir);
            assertTrue(same(saved, snapshot(m)));
            assertEquals("7", m.getProperty("Epoch"));
        }
    }

    @Test
    void damagedParamsAreRefusedNamingTheFileAndTheModelIsUnchanged(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ckpt");
        saveOne(dir);
        Path params = dir.resolve("ckpt-0007.params");
        byte[] whole = Files.readAllBytes(params);
        byte[] flipped = whole.clone();
        flipped[whole.length - 5] ^= 0x10; // one bit of the last weight's data
        byte[] magic = whole.clone();
        magic[0] ^= 0x5a;
        byte[] longer = Arrays.copyOf(whole, whole.length + 3);

        assertRefused(dir, Arrays.copyOf(whole, whole.length / 2),
                "truncated since it was saved: it has " + whole.length / 2 + " bytes");
        assertRefused(dir, flipped, "corrupted since it was saved");
        assertRefused(dir, magic, "corrupted since it was saved");
        assertRefused(dir, longer, "grown since it was saved");

        // without the checksum file (a directory from an older save): the structure is checked instead
        Files.delete(dir.resolve(ParamsFile.CHECKSUM_FILE));
        assertRefused(dir, Arrays.copyOf(whole, whole.length / 2), "truncated: it ends (at " + whole.length / 2);
        assertRefused(dir, Arrays.copyOf(whole, whole.length - 1), "truncated: it ends");
        assertRefused(dir, magic, "not a DJL params file: it starts with bytes 1e 4a 4c 40");
        assertRefused(dir, longer, "bytes follow the last parameter");
        Files.write(params, whole);
        try (Model m = Zoo.newModel("tiny_mlp", CONFIG, 9)) {
            Zoo.load(m, dir);
        }
    }

    @Test
    void withoutItsChecksumFileADescribedModelsOwnCheckRefusesACorruptedOrCutFile(@TempDir Path tmp)
            throws IOException {
        Path dir = tmp.resolve("ens");
        try (Model m = Zoo.newModel("tiny_ensemble", Map.of(), 1)) {
            Zoo.save(m, "tiny_ensemble", Map.of(), dir);
        }
        Files.delete(dir.resolve(ParamsFile.CHECKSUM_FILE));
        Path params;
        try (var files = Files.list(dir)) {
            params = files.filter(f -> f.toString().endsWith(".params")).findFirst().orElseThrow();
        }
        byte[] whole = Files.readAllBytes(params);
        byte[] flipped = whole.clone();
        flipped[whole.length - 12] ^= 1; // the lowest bit of the last float, before the 8-byte check
        for (Object[] c : new Object[][] {
            {flipped, "LinearEnsemble parameters are corrupted: the bytes read have CRC32C"},
            {Arrays.copyOf(whole, whole.length - 4), "truncated: it ends (at " + (whole.length - 4) + " bytes)"}}) {
            Files.write(params, (byte[]) c[0]);
            try (Model m = Zoo.newModel("tiny_ensemble", Map.of(), 9)) {
                List<float[]> before = snapshot(m);
                IOException e = assertThrows(IOException.class, () -> Zoo.load(m, dir));
                assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
                assertTrue(same(before, snapshot(m)), "model changed by a refused load: " + e.getMessage());
            }
        }
        Files.write(params, whole);
        try (Model m = Zoo.newModel("tiny_ensemble", Map.of(), 9)) {
            Zoo.load(m, dir);
        }
    }

    private static void assertRefused(Path dir, byte[] content, String part) throws IOException {
        Path params = dir.resolve("ckpt-0007.params");
        Files.write(params, content);
        try (Model m = Zoo.newModel("tiny_mlp", CONFIG, 9)) {
            List<float[]> before = snapshot(m);
            IOException e = assertThrows(IOException.class, () -> Zoo.load(m, dir));
            assertTrue(e.getMessage().startsWith(params.toAbsolutePath().toString()), e.getMessage());
            assertTrue(e.getMessage().contains(part), e.getMessage());
            assertTrue(same(before, snapshot(m)), "model changed by a refused load: " + e.getMessage());
            assertEquals(null, m.getProperty("Epoch"));
        }
    }

    @Test
    void anotherConfigsParamsListTheMismatchAndChangeNothing(@TempDir Path tmp) throws IOException {
        Path other = tmp.resolve("wide");
        Map<String, String> wide = Map.of("hidden", "5");
        try (Model m = Zoo.newModel("tiny_mlp", wide, 2)) {
            Zoo.save(m, "tiny_mlp", wide, other);
        }
        try (Model m = Zoo.newModel("tiny_mlp", CONFIG, 9)) {
            List<float[]> before = snapshot(m);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Zoo.load(m, other));
            String msg = e.getMessage();
            assertTrue(msg.contains("0 missing, 0 unexpected, 3 mis-shaped parameters; the model was left unchanged"),
                    msg);
            assertTrue(msg.contains("01Linear_weight: model (3, 4) float32, file (5, 4) float32"), msg);
            assertTrue(msg.contains("03Linear_weight: model (2, 3) float32, file (2, 5) float32"), msg);
            assertTrue(same(before, snapshot(m)));
        }
    }

    @Test
    void checksumAcceptsOldAndNewParamsWhileTheyAreSwapped(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ckpt");
        List<float[]> first = saveOne(dir);
        Path params = dir.resolve("ckpt-0007.params");
        byte[] old = Files.readAllBytes(params);
        ParamsFile.Sum oldSum = ParamsFile.sum(params);
        List<float[]> second;
        try (Model m = Zoo.newModel("tiny_mlp", CONFIG, 2)) {
            m.setProperty("Epoch", "7");
            Zoo.save(m, "tiny_mlp", CONFIG, dir);
            second = snapshot(m);
        }
        ParamsFile.Sum newSum = ParamsFile.sum(params);
        // the state between steps 1 and 3 of Zoo.save: both lines, and either file
        ParamsFile.writeSums(dir, List.of(oldSum, newSum));
        try (Model m = Zoo.newModel("tiny_mlp", CONFIG, 9)) {
            Zoo.load(m, dir);
            assertTrue(same(second, snapshot(m)));
            Files.write(params, old);
            Zoo.load(m, dir);
            assertTrue(same(first, snapshot(m)));
        }
    }

    @Test
    void criteriaLoadingRefusesDamagedParamsBeforeDjlReadsThem(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("ckpt");
        saveOne(dir);
        Path params = dir.resolve("ckpt-0007.params");
        byte[] whole = Files.readAllBytes(params);
        byte[] magic = whole.clone();
        magic[1] ^= 0x5a;
        Files.write(params, magic);
        assertTrue(criteriaError(dir).contains("corrupted since it was saved"));
        // a directory without params.sha256: parsed whole into a throw-away block first
        Files.delete(dir.resolve(ParamsFile.CHECKSUM_FILE));
        assertTrue(criteriaError(dir).contains("not a DJL params file"));
        Files.write(params, Arrays.copyOf(whole, whole.length - 2));
        assertTrue(criteriaError(dir).contains("truncated: it ends"));
        Files.write(params, whole);
        try (ZooModel<NDList, NDList> m = criteria(dir).loadModel()) {
            assertEquals(4, m.getBlock().getParameters().size());
        } catch (ai.djl.repository.zoo.ModelNotFoundException | ai.djl.MalformedModelException e) {
            throw new AssertionError(e);
        }
    }

    private static Criteria<NDList, NDList> criteria(Path dir) {
        return Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(dir)
                .optEngine("PyTorch")
                .build();
    }

    /** The messages of the exception chain of loading {@code dir} through Criteria. */
    private static String criteriaError(Path dir) {
        Exception e = assertThrows(Exception.class, () -> {
            try (ZooModel<NDList, NDList> m = criteria(dir).loadModel()) {
                m.getBlock();
            }
        });
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(t).append('\n');
        }
        return chain.toString();
    }
}
