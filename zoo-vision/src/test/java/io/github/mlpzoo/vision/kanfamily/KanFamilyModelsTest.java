package io.github.mlpzoo.vision.kanfamily;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import io.github.mlpzoo.core.profile.ModelProfile;
import io.github.mlpzoo.core.testkit.BlockContract;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;
import io.github.mlpzoo.vision.data.FashionMnistTask;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

/** KAT, Activator, Scaling-MLP and DSM: official parameter counts, the block contract on tiny configs. */
class KanFamilyModelsTest {

    /** Counts from the official code (PyTorch 1.13.1; see the golden READMEs for the commits). */
    @Test
    void officialParameterCounts() {
        Map<String, Long> official = new LinkedHashMap<>();
        official.put("kat_t", 5_718_328L);
        official.put("kat_s", 22_051_576L);
        official.put("kat_b", 86_568_568L);
        official.put("activator", 2_650_890L);
        official.put("activator_geglu", 1_599_242L);
        official.put("scaling_mlp_b6_wi512", 24_657_374L);
        official.put("scaling_mlp_b12_wi512", 37_261_790L);
        official.put("scaling_mlp_b6_wi1024", 74_469_342L);
        official.put("scaling_mlp_b12_wi1024", 124_843_998L);
        StringBuilder table = new StringBuilder();
        for (Map.Entry<String, Long> e : official.entrySet()) {
            Variant<?> v = Zoo.variant(e.getKey());
            ModelProfile p = ModelProfile.of(v.create(Map.of()), v.inputs(Map.of()));
            table.append(String.format("%-24s %,13d (official %,13d)%n", e.getKey(), p.params(), e.getValue()));
            assertEquals(e.getValue(), p.params(), e.getKey());
        }
        System.out.print(table);
    }

    @Test
    void contracts() {
        BlockContract.ofVariant("kat_t", Map.of("imageSize", "8", "patchSize", "4", "embedDim", "16", "depth", "2",
                "numHeads", "2", "mlpHidden", "32", "numClasses", "3", "dropPath", "0.1", "dropout", "0.1")).check();
        BlockContract.ofVariant("activator", Map.of("imageSize", "8", "patchSize", "4", "dModel", "8", "dFfn", "12",
                "numLayers", "2", "numClasses", "3")).check();
        BlockContract.ofVariant("activator_geglu", Map.of("imageSize", "8", "patchSize", "4", "dModel", "8", "dFfn",
                "12", "numLayers", "1", "numClasses", "3")).check();
        BlockContract.ofVariant("dsm_s", Map.of("imageSize", "8", "patchSize", "2", "embedDim", "8", "depth", "2",
                "bands", "3", "reduction", "2", "mlpRatio", "2", "numClasses", "3")).check();
        BlockContract.ofVariant("scaling_mlp_b6_wi512", Map.of("imageSize", "4", "blocks", "2", "width", "8",
                "numClasses", "3")).check();
    }

    /** matryoshka=g swaps only the head: g nested classifiers, g outputs (B, K); the default keeps the official count. */
    @Test
    void scalingMlpMatryoshkaHead() {
        Variant<?> v = Zoo.variant("scaling_mlp_b6_wi512");
        Map<String, String> base = Map.of("imageSize", "4", "blocks", "2", "width", "8", "numClasses", "3");
        Map<String, String> nested = new LinkedHashMap<>(base);
        nested.put("matryoshka", "3");
        long plain = ModelProfile.of(v.create(base), v.inputs(base)).params();
        long mrl = ModelProfile.of(v.create(nested), v.inputs(nested)).params();
        assertEquals(plain - (8 * 3 + 3) + (2 * 3 + 3) + (4 * 3 + 3) + (8 * 3 + 3), mrl); // prefixes 2, 4, 8
        BlockContract.ofVariant("scaling_mlp_b6_wi512", nested).check();
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = v.create(nested);
            b.initialize(m, DataType.FLOAT32, new Shape(5, 3, 4, 4));
            NDList out = b.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(5, 3, 4, 4))),
                    false);
            assertEquals(3, out.size());
            for (NDArray o : out) {
                assertEquals(new Shape(5, 3), o.getShape());
            }
        }
        nested.put("matryoshka", "5"); // 8 is not a multiple of 2^4
        assertThrows(IllegalArgumentException.class, () -> v.create(nested));
    }

    /** The Fashion-MNIST recipes of the four families build at 1×28×28 and give 10 logits (sizes of the README). */
    @Test
    void fashionMnistRecipesBuild() {
        Map<String, Long> params = new LinkedHashMap<>();
        params.put("kat_t", 205_370L);
        params.put("dsm_s", 99_386L);
        params.put("activator", 2_839_306L);
        params.put("scaling_mlp_b6_wi512", 2_307_850L);
        for (Map.Entry<String, Long> e : params.entrySet()) {
            Variant<?> v = Zoo.variant(e.getKey());
            Map<String, String> o = FashionMnistTask.modelOverrides(v, Map.of());
            Block b = v.create(o);
            assertEquals(e.getValue(), ModelProfile.of(b, new Shape(1, 1, 28, 28)).params(), e.getKey());
            try (NDManager m = NDManager.newBaseManager()) {
                b.initialize(m, DataType.FLOAT32, new Shape(2, 1, 28, 28));
                NDArray y = b.forward(new ParameterStore(m, false),
                        new NDList(m.randomNormal(new Shape(2, 1, 28, 28))), false).singletonOrThrow();
                assertEquals(new Shape(2, 10), y.getShape(), e.getKey());
            }
        }
    }

    @Test
    void badConfigsAreRefused() {
        Variant<?> kat = Zoo.variant("kat_t");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kat.create(Map.of("embedDim", "20", "numHeads", "3")));
        assertTrue(e.getMessage().contains("numHeads"), e.getMessage());
        assertEquals(new Shape(1, 3, 224, 224), kat.inputs(Map.of())[0].getShape());
    }
}
