package io.github.mlpzoo.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** Every registered variant's default configuration has its multiply-adds counted (fvcore convention, batch 1). */
class MacsTest {

    @Test
    void everyVariantHasMacsAndNoUncountedWeights() {
        List<String> bad = new ArrayList<>();
        for (Variant<?> v : Zoo.list()) {
            Facts f = Facts.of(v);
            // FieldEmbedding (zoo-ctr) only looks rows up: 0 MACs is right for it, but it does not declare that yet
            List<String> uncounted = f.macsUncounted().stream().filter(u -> !u.endsWith("(FieldEmbedding)")).toList();
            if (f.macs() <= 0 || !uncounted.isEmpty()) {
                bad.add(f.name() + ": " + f.macs() + " MACs, uncounted " + uncounted);
            }
        }
        assertTrue(bad.isEmpty(), "variants with missing MACs:\n" + String.join("\n", bad));
    }

    private static long macs(String name) {
        return Facts.of(Zoo.variant(name)).macs();
    }

    @Test
    void tabmFiguresByHand() {
        // k = 32 members, 8 numerical features, dOut 1 (TabMConfig.california); every layer is k · in · out
        // tabm: BatchEnsemble 8->400, 400->400, 400->400, LinearEnsemble head 400->1
        assertEquals(32L * (8 * 400 + 400 * 400 + 400 * 400 + 400), macs("tabm")); // 10,355,200
        // tabm_packed: LinearEnsemble 8->992, 3 x 992->992, head 992->1
        assertEquals(32L * (8 * 992 + 3 * 992 * 992 + 992), macs("tabm_packed")); // 94,755,840
        // tabm_mini: shared Linears on (1, k, .) 8->304, 2 x 304->304, head 304->1
        assertEquals(32L * (8 * 304 + 2 * 304 * 304 + 304), macs("tabm_mini")); // 6,002,176
        // _ple: the embedding once before the members (8 features x bins x d), then a dIn = 8 · d backbone
        assertEquals(8L * 47 * 20 + 32L * (160 * 416 + 2 * 416 * 416 + 416), macs("tabm_ple")); // 13,226,336
        assertEquals(8L * 47 * 20 + 32L * (160 * 512 + 512 * 512 + 512), macs("tabm_packed_ple")); // 11,033,952
        assertEquals(8L * 30 * 16 + 32L * (128 * 576 + 2 * 576 * 576 + 576), macs("tabm_mini_ple")); // 23,615,232
    }
}
