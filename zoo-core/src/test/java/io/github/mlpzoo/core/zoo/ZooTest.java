package io.github.mlpzoo.core.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;

import io.github.mlpzoo.core.Engines;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The registry, model creation, saving and the DJL loaders, on two tiny test variants.
 *
 * <p>zoo-core registers no variant of its own, and a test {@code META-INF/services} file would leak into
 * the test-jar other modules use, so the tests install their variants by setting {@code Zoo}'s private
 * registry field (restored afterwards, which makes the next call reload from the service loader).
 */
class ZooTest {

    /** (B, in) -> (B, out) through one hidden layer. */
    record TinyConfig(int in, int hidden, int out) {
        TinyConfig {
            if (in < 1 || hidden < 1 || out < 1) {
                throw new IllegalArgumentException("sizes must be >= 1; got " + in + ", " + hidden + ", " + out);
            }
        }
    }

    private static final Variant<TinyConfig> MLP = variant("tiny_mlp");
    private static final Variant<TinyConfig> MIXER = variant("tiny_mixer");

    private static Variant<TinyConfig> variant(String name) {
        return Variant.builder(name, new TinyConfig(4, 8, 2))
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
    }

    @BeforeEach
    void install() throws ReflectiveOperationException {
        Map<String, Variant<?>> map = new LinkedHashMap<>();
        map.put(MIXER.name(), MIXER);
        map.put(MLP.name(), MLP);
        registry().set(null, map);
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

    @Test
    void listsAndFindsVariants() {
        assertEquals(List.of(MIXER, MLP), Zoo.list());
        assertTrue(Zoo.contains("tiny_mlp"));
        assertFalse(Zoo.contains("tiny"));
        assertEquals(MLP, Zoo.variant("tiny_mlp"));
        assertEquals(0.5, Zoo.variant("tiny_mlp").anchor("toy").value());
        assertNull(Zoo.variant("tiny_mlp").anchor("other"));
    }

    @Test
    void unknownNameSuggestsTheClosest() {
        assertEquals(List.of("tiny_mlp"), Zoo.closest("tiny_mpl", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Zoo.variant("tiny_mpl"));
        assertTrue(e.getMessage().startsWith("unknown model 'tiny_mpl'; did you mean tiny_mlp"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(zoo list shows all 2)"), e.getMessage());
        IllegalArgumentException far = assertThrows(IllegalArgumentException.class,
                () -> Zoo.variant("resnet_fifty"));
        assertEquals("unknown model 'resnet_fifty' (zoo list shows all 2)", far.getMessage());
        // no name at all: the nearest names, without failing
        assertEquals(List.of("tiny_mlp"), Zoo.closest(null, 1));
    }

    @Test
    void editDistance() {
        assertEquals(3, Zoo.distance("kitten", "sitting"));
        assertEquals(3, Zoo.distance("", "abc"));
        assertEquals(0, Zoo.distance("abc", "abc"));
        assertEquals(2, Zoo.distance("tiny_mpl", "tiny_mlp"));
    }

    @Test
    void createAppliesOverridesAndNamesTheVariantInErrors() {
        Block b = Zoo.create("tiny_mlp", Map.of("out", "5"));
        assertEquals(new Shape(3, 5), b.getOutputShapes(new Shape[] {new Shape(3, 4)})[0]);
        assertFalse(b.isInitialized());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Zoo.create("tiny_mlp", Map.of("widht", "3")));
        assertEquals("tiny_mlp: unknown config key 'widht' for TinyConfig; valid keys: in, hidden, out",
                e.getMessage());
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> Zoo.create("tiny_mlp", Map.of("hidden", "0")));
        assertEquals("tiny_mlp: invalid TinyConfig: sizes must be >= 1; got 4, 0, 2", invalid.getMessage());
        assertArrayEquals(new Shape[] {new Shape(1, 6)}, Zoo.shapes(MLP.inputs(Map.of("in", "6"))));
    }

    @Test
    void newModelIsInitializedAndSeeded() {
        try (Model a = Zoo.newModel("tiny_mlp", Map.of(), 3);
                Model b = Zoo.newModel("tiny_mlp", Map.of(), 3);
                Model c = Zoo.newModel("tiny_mlp", Map.of(), 4)) {
            assertTrue(a.getBlock().isInitialized());
            float[] wa = firstWeight(a);
            assertArrayEquals(wa, firstWeight(b), 0f);
            assertFalse(java.util.Arrays.equals(wa, firstWeight(c)));
            assertEquals(new Shape(8, 4), a.getBlock().getParameters().get("01Linear_weight").getArray().getShape());
        }
    }

    @Test
    void savedDirectoryLoadsBackThroughCriteria(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("tiny");
        Map<String, String> overrides = Map.of("hidden", "3");
        float[] expected;
        float[] input = {0.5f, -1f, 2f, 0.25f};
        try (Model m = Zoo.newModel("tiny_mlp", overrides, 11)) {
            expected = forward(m, input);
            Zoo.save(m, "tiny_mlp", overrides, dir);
        }
        List<String> props = Files.readAllLines(dir.resolve("serving.properties"), StandardCharsets.UTF_8);
        assertTrue(props.contains("variant=tiny_mlp"), props.toString());
        assertTrue(props.contains("hidden=3"), props.toString());
        assertTrue(props.contains("blockFactory=" + VariantBlockFactory.class.getName()), props.toString());
        assertTrue(Files.exists(dir.resolve("tiny-0000.params")));
        try (Stream<Path> leftovers = Files.list(dir)) {
            assertEquals(List.of(), leftovers.filter(p -> p.toString().endsWith(".tmp")).toList());
        }
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(dir)
                .optEngine("PyTorch")
                .build();
        try (ZooModel<NDList, NDList> loaded = criteria.loadModel()) {
            assertArrayEquals(expected, forward(loaded, input), 0f);
        }
    }

    @Test
    void modelLoaderReadsSeedAndOverridesFromArguments() throws Exception {
        VariantModelLoader loader = new VariantModelLoader("tiny_mlp");
        assertEquals("tiny_mlp", loader.getArtifactId());
        assertEquals("io.github.mlpzoo:tiny_mlp", loader.toString());
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optArgument("seed", 5)
                .optArgument("hidden", 3)
                .build();
        try (ZooModel<NDList, NDList> a = loader.loadModel(criteria);
                Model b = Zoo.newModel("tiny_mlp", Map.of("hidden", "3"), 5)) {
            assertEquals(new Shape(3, 4), a.getBlock().getParameters().get("01Linear_weight").getArray().getShape());
            assertArrayEquals(firstWeight(b), firstWeight(a), 0f);
        }
        Criteria<String, String> strings = Criteria.builder().setTypes(String.class, String.class).build();
        assertThrows(ModelNotFoundException.class, () -> loader.loadModel(strings));
    }

    @Test
    void blockFactoryOverridesDropDjlKeysAndNormaliseJsonNumbers() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("engine", "PyTorch");
        args.put("blockFactory", "x");
        args.put("variant", "tiny_mlp");
        args.put("seed", "3");
        args.put("hidden", 3);
        args.put("dims", List.of(208.0, 1.5, 7));
        args.put("ignored", null);
        assertEquals(Map.of("hidden", "3", "dims", "208,1.5,7"), VariantBlockFactory.overrides(args));
        assertEquals(Map.of(), VariantBlockFactory.overrides(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new VariantBlockFactory().newBlock(null, Path.of("/models/x"), Map.of()));
        assertEquals("model directory /models/x has no 'variant=' in serving.properties", e.getMessage());
    }

    @Test
    void variantBuilderValidates() {
        IllegalStateException name = assertThrows(IllegalStateException.class,
                () -> Variant.builder("Tiny-MLP", new TinyConfig(1, 1, 1)).build());
        assertEquals("variant name must be lower_snake_case; got 'Tiny-MLP'", name.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> Variant.builder("tiny", new TinyConfig(1, 1, 1)).setDomain("tabular").build());
        assertEquals("variant tiny needs domain, paper, officialRepo, factory and inputs", missing.getMessage());
        assertNotEquals(MLP, MIXER);
    }

    private static float[] firstWeight(Model m) {
        return m.getBlock().getParameters().get("01Linear_weight").getArray().toFloatArray();
    }

    private static float[] forward(Model m, float[] input) {
        Engines.get();
        try (NDManager sub = m.getNDManager().newSubManager()) {
            NDArray x = sub.create(input, new Shape(1, input.length));
            return m.getBlock().forward(new ParameterStore(sub, false), new NDList(x), false).head().toFloatArray();
        }
    }
}
