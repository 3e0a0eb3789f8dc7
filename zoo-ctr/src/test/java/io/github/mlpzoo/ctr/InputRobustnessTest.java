package io.github.mlpzoo.ctr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.zoo.Zoo;
import io.github.mlpzoo.ctr.features.Sequences;
import io.github.mlpzoo.ctr.features.Vocabulary;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The documented handling of bad or unusual CTR inputs, on every registered CTR variant at inference: unknown config
 * keys and field names are rejected by name; unseen raw values map to the open vocabulary's OOV row, which the model
 * accepts, while ids outside a table raise; padding (empty, left- and right-padded and over-long padded histories)
 * contributes nothing, whatever the padding rows hold, except DIN's official softmax on an empty history, which
 * pools the row-0 keys as DeepCTR does ({@code CTR_PROTOCOL.md} §8); over-long raw histories are truncated to the
 * most recent {@code maxLen}.
 */
class InputRobustnessTest {

    /** Three fields (user 4+2, item 6+2, category 3+2 rows: padding, values, OOV), histories of item and category. */
    static Map<String, String> tiny(String variant) {
        Map<String, String> o = new HashMap<>(Map.of("vocab", "6,8,5", "embeddingDim", "4", "maxLen", "4"));
        if (variant.contains("mlp")) {
            o.put("mlp1Units", "6");
            o.put("mlp2Units", "4");
            if (variant.equals("finalmlp")) {
                o.put("fsUnits", "4");
                o.put("numHeads", "2");
            }
        } else {
            o.put("attentionUnits", "4");
            o.put("dnnUnits", "6");
            if (variant.equals("din_softmax")) {
                o.put("attentionSoftmax", "true");
            }
        }
        return o;
    }

    static String registered(String variant) {
        return variant.equals("din_softmax") ? "din" : variant;
    }

    @BeforeAll
    static void offline() {
        Engines.configureOffline();
    }

    static Model model(String variant) {
        Model model = Zoo.newModel(registered(variant), tiny(variant), 0);
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3), new Shape(1, 2, 4));
        return model;
    }

    static float[] predict(Model model, NDManager m, long[] sparse, long[] history, int b, int t) {
        NDList x = new NDList(m.create(sparse, new Shape(b, 3)), m.create(history, new Shape(b, 2, t)));
        NDArray y = model.getBlock().forward(new ParameterStore(m, false), x, false).singletonOrThrow();
        assertEquals(new Shape(b, 1), y.getShape());
        return y.toFloatArray();
    }

    private static final Pattern TABLE = Pattern.compile(".*embedding_(table|hist)\\d+");

    /** Overwrites row 0 of every embedding table with {@code rows.apply(table)}. */
    static int setPaddingRows(Model model, java.util.function.Function<NDArray, NDArray> rows) {
        int n = 0;
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            if (TABLE.matcher(p.getKey()).matches()) {
                NDArray table = p.getValue().getArray();
                try (NDArray row = rows.apply(table)) {
                    table.set(new NDIndex("0"), row);
                }
                n++;
            }
        }
        return n;
    }

    @ParameterizedTest
    @ValueSource(strings = {"din", "din_mba", "ctr_dnn", "finalmlp", "dualmlp"})
    void unknownConfigKeysAndFieldNamesAreRejectedByName(String variant) {
        Map<String, String> o = tiny(variant);
        o.put("vocabs", "6,8,5");
        var e = assertThrows(IllegalArgumentException.class, () -> Zoo.newModel(variant, o, 0));
        assertTrue(e.getMessage().contains("unknown config key 'vocabs'") && e.getMessage().contains("vocab"),
                e.getMessage());
        Map<String, String> names = tiny(variant);
        names.put("fieldNames", "user_id,item_id");   // two names for three fields
        e = assertThrows(IllegalArgumentException.class, () -> Zoo.newModel(variant, names, 0));
        assertTrue(e.getMessage().contains("fieldNames"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"din", "din_softmax", "ctr_dnn", "finalmlp", "dualmlp"})
    void unseenValuesGetTheOovRowAndIdsOutsideATableRaise(String variant) {
        // vocabularies built on "train": 4 users, 6 items, 3 categories; tables of rows() = V + 2
        Vocabulary<String> users = Vocabulary.open("user_id", List.of("u1", "u2", "u3", "u4"));
        Vocabulary<Integer> items = Vocabulary.open("item_id", List.of(10, 11, 12, 13, 14, 15, 10));
        Vocabulary<String> cats = Vocabulary.open("cat_id", List.of("a", "b", "c"));
        assertEquals(List.of(6, 8, 5), List.of(users.rows(), items.rows(), cats.rows()));
        int[] hist = items.ids(List.of(10, 99, 15));            // 99 was never seen
        assertEquals(items.oovId(), hist[1]);
        assertEquals(items.rows() - 1, items.oovId());
        long[] sparse = {users.id("new user"), items.id(77), cats.id("z")};
        long[] h = new long[8];
        Sequences.encode(hist, 0, 3, 4, Sequences.Padding.LEFT, h, 0);
        Sequences.encode(cats.ids(List.of("a", "zz", "c")), 0, 3, 4, Sequences.Padding.LEFT, h, 4);
        try (Model model = model(variant); NDManager m = model.getNDManager().newSubManager()) {
            float[] y = predict(model, m, sparse, h, 1, 4);
            assertTrue(Float.isFinite(y[0]), variant + " gave " + y[0] + " on OOV ids");
            for (long[] bad : new long[][] {{1, 8, 1}, {1, -1, 1}, {6, 1, 1}}) {
                var e = assertThrows(IllegalArgumentException.class, () -> predict(model, m, bad, h, 1, 4));
                assertTrue(e.getMessage().contains("outside its table"), e.getMessage());
            }
            long[] badHist = h.clone();
            badHist[5] = 5;   // category table has 5 rows: 0..4
            var e = assertThrows(IllegalArgumentException.class, () -> predict(model, m, sparse, badHist, 1, 4));
            assertTrue(e.getMessage().contains("behaviour field 1 has id 5"), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.closed("movie_id", List.of(1, 2)).id(3));
        assertTrue(e.getMessage().contains("'movie_id'"), e.getMessage());
    }

    /**
     * Rows: empty history, one item left-padded, the same right-padded, a full history; then the same rows padded to
     * T = 7. Only the masked positions read row 0, so setting every row 0 to large random values changes nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"din", "din_softmax", "ctr_dnn", "finalmlp", "dualmlp"})
    void paddingContributesNothingWhateverThePaddingRowsHold(String variant) {
        long[] sparse = {1, 2, 1, 2, 3, 2, 2, 3, 2, 3, 4, 3};
        long[] h4 = {
            0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 5, 0, 0, 0, 2,
            5, 0, 0, 0, 2, 0, 0, 0,
            1, 2, 3, 4, 1, 1, 2, 3};
        long[] h7 = new long[4 * 2 * 7];
        for (int r = 0; r < 8; r++) {                     // each (row, field) sequence: 3 more padding in front
            System.arraycopy(h4, r * 4, h7, r * 7 + 3, 4);
        }
        try (Model model = model(variant); NDManager m = model.getNDManager().newSubManager()) {
            float[] before = predict(model, m, sparse, h4, 4, 4);
            float[] longer = predict(model, m, sparse, h7, 4, 7);
            assertEquals(before[1], before[2], 1e-6f, "left vs right padding");
            int tables = setPaddingRows(model, t -> t.getManager().randomNormal(0f, 3f, new Shape(t.getShape().get(1)),
                    DataType.FLOAT32));
            assertEquals(3, tables, "user, item and category tables (histories share them)");
            float[] after = predict(model, m, sparse, h4, 4, 4);
            for (int r = 0; r < 4; r++) {
                assertTrue(Float.isFinite(before[r]) && Float.isFinite(after[r]), variant + " row " + r);
                if (r == 0 && variant.equals("din_softmax")) {
                    // the official softmax over an all-padding history pools the row-0 keys: it must move
                    assertFalse(Math.abs(before[0] - after[0]) < 1e-6f, "softmax DIN ignored the row-0 keys");
                    continue;
                }
                assertEquals(before[r], after[r], 1e-6f, variant + " row " + r + " read a padding row");
                if (r > 0 || !variant.equals("din_softmax")) {
                    assertEquals(before[r], longer[r], 1e-6f, variant + " row " + r + " with T = 7");
                }
            }
        }
    }

    /**
     * DeepCTR's softmax attention on an empty history: every score is -2^32+1, the weights are uniform and the pooled
     * interest is the row-0 key. So with row 0 set to the rows of item 3 / category 2, it equals a history of just
     * (3, 2).
     */
    @Test
    void softmaxDinPoolsTheRowZeroKeysOnAnEmptyHistoryAsDeepCtrDoes() {
        try (Model model = model("din_softmax"); NDManager m = model.getNDManager().newSubManager()) {
            long[] sparse = {1, 2, 1};
            setPaddingRows(model, t -> t.get(t.getShape().get(0) == 8 ? "3" : t.getShape().get(0) == 5 ? "2" : "1"));
            float empty = predict(model, m, sparse, new long[8], 1, 4)[0];
            float one = predict(model, m, sparse, new long[] {0, 0, 0, 3, 0, 0, 0, 2}, 1, 4)[0];
            assertEquals(one, empty, 1e-6f);
        }
    }

    @Test
    void overLongRawHistoriesKeepTheMostRecentMaxLen() {
        int[] ids = {9, 8, 7, 6, 5, 4, 3};                   // oldest first
        long[] out = new long[2 + 4 + 2];
        Sequences.encode(ids, 1, 7, 4, Sequences.Padding.LEFT, out, 2);   // the 6 events after the first, T = 4
        assertEquals(List.of(0L, 0L, 6L, 5L, 4L, 3L, 0L, 0L), java.util.Arrays.stream(out).boxed().toList());
        Sequences.encode(ids, 0, 2, 4, Sequences.Padding.RIGHT, out, 2);
        assertEquals(List.of(0L, 0L, 9L, 8L, 0L, 0L, 0L, 0L), java.util.Arrays.stream(out).boxed().toList());
    }
}
