package io.github.mlpzoo.tabular.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.testkit.BlockContract;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

class MlpTest {

    private static final MlpConfig TINY = new MlpConfig(5, 2, 2, 7, 0.1f);

    @Test
    void passesTheBlockContract() {
        BlockContract.of(() -> Mlp.builder().setConfig(TINY).build(), new Shape(3, 5)).named("Mlp tiny").check();
    }

    @Test
    void californiaConfigHasTheOfficialParameterCount() {
        MlpConfig c = MlpConfig.california();
        assertEquals(new MlpConfig(8, 1, 2, 208, 0.17186995f), c);
        long official = 8 * 208 + 208 + 208 * 208 + 208 + 208 + 1; // n_parameters = 45553 in the official report
        assertEquals(45553, official);
        assertEquals(official, c.parameterCount());
        try (NDManager m = Engines.get().newBaseManager()) {
            Mlp mlp = Mlp.builder().setConfig(c).build();
            mlp.initialize(m, DataType.FLOAT32, new Shape(1, 8));
            long n = 0;
            for (Pair<String, Parameter> p : mlp.getParameters()) {
                n += p.getValue().getArray().size();
            }
            assertEquals(official, n);
            assertEquals(new Shape(4, 1), mlp.getOutputShapes(new Shape[] {new Shape(4, 8)})[0]);
        }
    }

    @Test
    void parameterNamesAreTheKeyMapsTargetsWithTheOfficialShapes() {
        MlpConfig c = new MlpConfig(8, 1, 3, 16, 0f);
        Map<String, String> keys = Mlp.officialKeys(c);
        assertEquals(List.of("backbone.blocks.0.0.weight", "backbone.blocks.0.0.bias", "backbone.blocks.1.0.weight",
                "backbone.blocks.1.0.bias", "backbone.blocks.2.0.weight", "backbone.blocks.2.0.bias", "output.weight",
                "output.bias"), new ArrayList<>(keys.keySet()));
        try (NDManager m = Engines.get().newBaseManager()) {
            Mlp mlp = Mlp.builder().setConfig(c).build();
            mlp.initialize(m, DataType.FLOAT32, new Shape(1, 8));
            List<String> ours = new ArrayList<>(mlp.getParameters().keys());
            assertEquals(new ArrayList<>(keys.values()), ours);
            Map<String, Shape> official = Map.of(
                    "backbone.blocks.0.0.weight", new Shape(16, 8), "backbone.blocks.0.0.bias", new Shape(16),
                    "backbone.blocks.2.0.weight", new Shape(16, 16), "output.weight", new Shape(1, 16),
                    "output.bias", new Shape(1));
            official.forEach((k, shape) ->
                    assertEquals(shape, mlp.getParameters().get(keys.get(k)).getArray().getShape(), k));
        }
    }

    @Test
    void initializationIsPyTorchsDefault() {
        try (NDManager m = Engines.get().newBaseManager()) {
            Engine.getEngine("PyTorch").setRandomSeed(3);
            Mlp mlp = Mlp.builder().setConfig(new MlpConfig(100, 1, 2, 400, 0f)).build();
            mlp.initialize(m, DataType.FLOAT32, new Shape(1, 100));
            for (Pair<String, Parameter> p : mlp.getParameters()) {
                NDArray a = p.getValue().getArray();
                long fanIn = p.getKey().startsWith("01") ? 100 : 400;
                double bound = TorchInit.bound(fanIn);
                float max = a.abs().max().getFloat();
                assertTrue(max <= bound, p.getKey() + ": |w| max " + max + " exceeds 1/sqrt(fan_in) = " + bound);
                if (a.size() >= 400) { // U(-b, b): mean square b^2 / 3, and values reach near the bound
                    double ms = a.square().mean().getFloat();
                    assertEquals(bound * bound / 3, ms, bound * bound / 3 * 0.1, p.getKey() + " mean square");
                    assertTrue(max > 0.9 * bound, p.getKey() + " max " + max + " vs bound " + bound);
                }
                assertNotEquals(0f, max, p.getKey() + " (biases are not zero as in DJL's default)");
            }
        }
    }

    @Test
    void dropoutActsOnlyInTraining() {
        try (NDManager m = Engines.get().newBaseManager()) {
            Mlp mlp = Mlp.builder().setDIn(4).setDOut(1).setNBlocks(1).setDBlock(64).optDropout(0.5f).build();
            mlp.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            NDArray x = m.randomNormal(new Shape(32, 4));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray a = mlp.forward(ps, new NDList(x), false).singletonOrThrow();
            NDArray b = mlp.forward(ps, new NDList(x), false).singletonOrThrow();
            NDArray t = mlp.forward(ps, new NDList(x), true).singletonOrThrow();
            assertEquals(0f, a.sub(b).abs().max().getFloat());
            assertTrue(a.sub(t).abs().max().getFloat() > 0f, "training forward applies dropout");
        }
    }

    @Test
    void configAndBuilderNameTheBadKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MlpConfig(8, 1, -1, 208, 0f));
        assertEquals("nBlocks must be >= 1; got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MlpConfig(8, 1, 2, 208, 1f));
        assertTrue(e.getMessage().startsWith("dropout must be in [0, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MlpConfig(0, 1, 2, 208, 0f));
        assertTrue(e.getMessage().startsWith("dIn"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mlp.builder().setDIn(8).setDOut(1).setNBlocks(2).build());
        assertTrue(e.getMessage().contains("dBlock"), e.getMessage());
    }

    @Test
    void wrongInputNamesTheAxis() {
        try (NDManager m = Engines.get().newBaseManager()) {
            Mlp mlp = Mlp.builder().setConfig(TINY).build();
            mlp.initialize(m, DataType.FLOAT32, new Shape(1, 5));
            NDArray bad = m.zeros(new Shape(2, 6));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> mlp.forward(new ParameterStore(m, false), new NDList(bad), false));
            assertTrue(e.getMessage().contains("axis 1 must be 5"), e.getMessage());
        }
    }

    @Test
    void registeredAsMlpWithTheCaliforniaDefaults() {
        Variant<?> v = Zoo.variant("mlp");
        assertEquals("tabular", v.domain());
        assertEquals("yandex-research/tabm", v.officialRepo());
        assertEquals(MlpConfig.california(), v.defaults());
        assertEquals(0.5048, v.anchor("california").value(), 0.0);
        assertEquals(new Shape(1, 8), v.inputs(Map.of())[0].getShape());
        Block b = Zoo.create("mlp", Map.of("nBlocks", "3", "dropout", "0"));
        assertEquals(new MlpConfig(8, 1, 3, 208, 0f), ((Mlp) b).config());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Zoo.create("mlp", Map.of("nBlocks", "-1")));
        assertTrue(e.getMessage().contains("nBlocks must be >= 1; got -1"), e.getMessage());
        try (Model model = Zoo.newModel("mlp", Map.of(), 0)) {
            assertTrue(model.getBlock().isInitialized());
        }
    }
}
