package io.github.mlpzoo.ctr.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.zoo.Zoo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

/** Bad inputs: unknown fields, unseen values, out-of-range ids, empty and over-long histories. */
class FeaturesTest {

    @BeforeAll
    static void offline() {
        Engines.configureOffline();
    }

    @Test
    void vocabulariesMapPaddingKnownAndUnseenValues() {
        Vocabulary<String> open = Vocabulary.open("genre", List.of("b", "a", "b", "c"));
        assertEquals(3, open.size());
        assertEquals(5, open.rows());   // padding + 3 + OOV
        assertEquals(1, open.id("a"));
        assertEquals(3, open.id("c"));
        assertEquals(4, open.id("never seen"));
        Vocabulary<String> closed = Vocabulary.closed("genre", List.of("a", "b"));
        assertEquals(3, closed.rows());
        var e = assertThrows(IllegalArgumentException.class, () -> closed.id("z"));
        assertTrue(e.getMessage().contains("'genre'") && e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void unknownFieldNamesAreRejectedWithTheKnownOnes() {
        FieldSpec spec = new FieldSpec(List.of("user_id", "movie_id"), List.of("hist_movie_id"), List.of());
        assertEquals(1, spec.field("movie_id"));
        assertArrayEquals(new int[] {1}, spec.sharedWith());
        var e = assertThrows(IllegalArgumentException.class, () -> spec.field("movieid"));
        assertTrue(e.getMessage().contains("unknown field 'movieid'") && e.getMessage().contains("user_id"));
        assertThrows(IllegalArgumentException.class, () -> spec.historyField("hist_genre"));
    }

    @Test
    void historiesAreTruncatedToTheMostRecentAndPadded() {
        assertArrayEquals(new long[] {0, 0, 7, 8}, Sequences.encode(new int[] {7, 8}, 4, Sequences.Padding.LEFT));
        assertArrayEquals(new long[] {7, 8, 0, 0}, Sequences.encode(new int[] {7, 8}, 4, Sequences.Padding.RIGHT));
        assertArrayEquals(new long[] {3, 4, 5}, Sequences.encode(new int[] {1, 2, 3, 4, 5}, 3, Sequences.Padding.LEFT));
        assertArrayEquals(new long[] {0, 0, 0}, Sequences.encode(new int[0], 3, Sequences.Padding.LEFT));
        assertThrows(IllegalArgumentException.class, () -> Sequences.encode(new int[] {0}, 3, Sequences.Padding.LEFT));
    }

    static final Map<String, String> TINY = Map.of("vocab", "4,6,3", "embeddingDim", "4", "maxLen", "4",
            "attentionUnits", "4", "dnnUnits", "4");

    static NDArray run(Model model, NDManager m, long[] sparse, long[] history, int t) {
        NDList x = new NDList(m.create(sparse, new Shape(1, 3)), m.create(history, new Shape(1, 2, t)));
        return model.getBlock().forward(new ParameterStore(m, false), x, false).singletonOrThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"din", "ctr_dnn", "finalmlp", "dualmlp"})
    void outOfVocabularyIdsRaiseAClearError(String variant) {
        Map<String, String> o = new java.util.HashMap<>(variant.contains("mlp")
                ? Map.of("vocab", "4,6,3", "embeddingDim", "4", "maxLen", "4", "mlp1Units", "4", "mlp2Units", "4")
                : TINY);
        if (variant.equals("finalmlp")) {
            o.put("fsUnits", "4");
            o.put("numHeads", "1");
        }
        try (Model model = Zoo.newModel(variant, o, 0); NDManager m = model.getNDManager().newSubManager()) {
            model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    new Shape(1, 3), new Shape(1, 2, 4));
            run(model, m, new long[] {1, 5, 2}, new long[] {1, 2, 0, 0, 1, 1, 0, 0}, 4);   // fine
            var e = assertThrows(IllegalArgumentException.class,
                    () -> run(model, m, new long[] {1, 6, 2}, new long[] {1, 2, 0, 0, 1, 1, 0, 0}, 4));
            assertTrue(e.getMessage().contains("id 6 outside its table of 6 rows"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> run(model, m, new long[] {1, 1, 2}, new long[] {1, 9, 0, 0, 1, 1, 0, 0}, 4));
            assertTrue(e.getMessage().contains("behaviour field 0 has id 9"), e.getMessage());
        }
    }

    @Test
    void paddingContributesNothingAndEmptyOrLongerHistoriesWork() {
        try (Model model = Zoo.newModel("din", TINY, 0); NDManager m = model.getNDManager().newSubManager()) {
            model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    new Shape(1, 3), new Shape(1, 2, 4));
            float left = run(model, m, new long[] {1, 2, 1}, new long[] {0, 0, 3, 4, 0, 0, 1, 2}, 4).getFloat(0, 0);
            float right = run(model, m, new long[] {1, 2, 1}, new long[] {3, 4, 0, 0, 1, 2, 0, 0}, 4).getFloat(0, 0);
            float longer = run(model, m, new long[] {1, 2, 1}, new long[] {0, 0, 0, 0, 3, 4, 0, 0, 0, 0, 1, 2}, 6)
                    .getFloat(0, 0);
            assertEquals(left, right, 1e-6f);
            assertEquals(left, longer, 1e-6f);
            // an empty history: unnormalized attention pools to exactly 0, as the sum-pooled base model does
            float empty = run(model, m, new long[] {1, 2, 1}, new long[] {0, 0, 0, 0, 0, 0, 0, 0}, 4).getFloat(0, 0);
            assertTrue(Float.isFinite(empty));
            var e = assertThrows(IllegalArgumentException.class,
                    () -> run(model, m, new long[] {1, 2, 1}, new long[0], 0));
            assertTrue(e.getMessage().contains("T >= 1"), e.getMessage());
        }
    }
}
