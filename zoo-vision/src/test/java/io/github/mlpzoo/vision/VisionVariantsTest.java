package io.github.mlpzoo.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.initializer.Initializer;

import io.github.mlpzoo.core.profile.ModelProfile;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds every named vision variant at full size (no training) and compares its parameter count with the official
 * code's and its MACs with the figures of {@code reference/vision.md} (Conv + Linear multiply-accumulates at
 * 224×224, fvcore convention; measured on the official code with PyTorch 1.13.1: timm {@code aa4b5850} and
 * sail-sg/poolformer {@code a075575b}).
 *
 * <p>Building the largest variants would allocate and fill up to 208M floats; instead every parameter gets a
 * broadcast view of one zero ({@link #SHAPE_ONLY}), which has the right shape but owns 4 bytes, so the whole test
 * runs in about a second.
 */
class VisionVariantsTest {

    /** An initializer giving arrays of the right shape that share one element (no allocation, no fill). */
    static final Initializer SHAPE_ONLY = (NDManager m, Shape shape, DataType type) -> {
        NDArray one = m.zeros(new Shape(1), type);
        long[] ones = new long[shape.dimension()];
        java.util.Arrays.fill(ones, 1);
        return one.reshape(new Shape(ones)).broadcast(shape);
    };

    /** Official parameter counts (sum of numel over model.parameters()) and MACs at 224×224. */
    static final Map<String, long[]> OFFICIAL = new LinkedHashMap<>();

    static {
        OFFICIAL.put("mixer_s16", new long[] {18_528_264L, 3_776_958_464L});
        OFFICIAL.put("mixer_b16", new long[] {59_880_472L, 12_601_767_936L});
        OFFICIAL.put("mixer_l16", new long[] {208_196_168L, 44_547_678_208L});
        OFFICIAL.put("gmlp_ti16", new long[] {5_867_328L, 1_328_989_184L});
        OFFICIAL.put("gmlp_s16", new long[] {19_422_656L, 4_392_060_928L});
        OFFICIAL.put("gmlp_b16", new long[] {73_075_392L, 15_720_452_096L});
        OFFICIAL.put("poolformer_s12", new long[] {11_915_176L, 1_812_267_008L});
        OFFICIAL.put("poolformer_s24", new long[] {21_388_968L, 3_392_208_896L});
        OFFICIAL.put("poolformer_s36", new long[] {30_862_760L, 4_972_150_784L});
        OFFICIAL.put("poolformer_m36", new long[] {56_172_520L, 8_758_788_096L});
        OFFICIAL.put("poolformer_m48", new long[] {73_473_448L, 11_533_320_192L});
        // Strip-MLP (Med-Process/Strip_MLP 492d705), MS-MLP (JegZheng/MS-MLP a10d34d), RaftMLP (okojoalg/raft-mlp 6060d5d)
        OFFICIAL.put("strip_mlp_t_light", new long[] {18_243_920L, 2_518_593_280L});
        OFFICIAL.put("strip_mlp_t", new long[] {24_903_920L, 3_648_236_800L});
        OFFICIAL.put("strip_mlp_s", new long[] {42_568_600L, 6_803_134_464L});
        OFFICIAL.put("strip_mlp_b", new long[] {57_216_480L, 9_184_947_968L});
        OFFICIAL.put("ms_mlp_t", new long[] {28_656_232L, 4_437_768_960L});
        OFFICIAL.put("ms_mlp_s", new long[] {50_303_752L, 8_667_135_360L});
        OFFICIAL.put("ms_mlp_b", new long[] {88_696_792L, 15_334_215_328L});
        OFFICIAL.put("raft_mlp_s", new long[] {9_868_768L, 2_087_030_784L});
        OFFICIAL.put("raft_mlp_m", new long[] {21_413_632L, 4_267_333_632L});
        OFFICIAL.put("raft_mlp_l", new long[] {36_184_672L, 6_543_974_400L});
    }

    @Test
    void everyVariantHasTheOfficialParameterCountAndMacs() {
        long start = System.nanoTime();
        StringBuilder table = new StringBuilder();
        for (Map.Entry<String, long[]> e : OFFICIAL.entrySet()) {
            Variant<?> v = Zoo.variant(e.getKey());
            Block block = v.create(Map.of());
            block.setInitializer(SHAPE_ONLY, p -> true);
            ModelProfile p = ModelProfile.of(block, v.inputs(Map.of()));
            long params = e.getValue()[0];
            long macs = e.getValue()[1];
            table.append(String.format(Locale.ROOT, "%-15s %,13d params (official %,13d)  %,16d MACs (official %,16d)%n",
                    e.getKey(), p.params(), params, p.macs(), macs));
            assertEquals(params, p.params(), e.getKey() + " parameters");
            assertTrue(Math.abs(p.macs() - macs) <= 0.02 * macs, e.getKey() + " MACs " + p.macs() + " vs " + macs);
            assertTrue(p.uncounted().isEmpty(), e.getKey() + " has blocks without a MAC rule: " + p.uncounted());
        }
        System.out.print(table);
        System.out.printf(Locale.ROOT, "built %d variants in %.1f s%n", OFFICIAL.size(), (System.nanoTime() - start) / 1e9);
        assertEquals(OFFICIAL.keySet(), Zoo.list().stream().filter(x -> x.domain().equals("vision"))
                .filter(x -> OFFICIAL.containsKey(x.name())).map(Variant::name)
                .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new)));
    }
}
