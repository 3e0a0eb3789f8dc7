package io.github.mlpzoo.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.mlpzoo.core.zoo.Zoo;
import io.github.mlpzoo.ctr.features.Sequences;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/** The column-to-input mapping without a Spark session: encoding of each binding kind, and the errors. */
class FeatureSpecTest {

    private static final StructType SEQ = new StructType()
            .add("h", DataTypes.createArrayType(DataTypes.LongType, false), true);

    @Test
    void sequencesKeepTheMostRecentIdsAndPadWithZero() {
        List<Long> sixty = LongStream.rangeClosed(1, 60).boxed().toList();
        long[] left = encode(FeatureSpec.builder().sequences("history", List.of("h"), 50, Sequences.Padding.LEFT)
                .build(), SEQ, List.of(row(sixty)), new Shape(1, 1, 50));
        assertArrayEquals(LongStream.rangeClosed(11, 60).toArray(), left);

        List<Row> rows = new ArrayList<>();
        rows.add(row(List.of(3L, 4L)));
        rows.add(RowFactory.create((Object) null));   // no history: all padding
        long[] right = encode(FeatureSpec.builder().sequences("history", List.of("h"), 5, Sequences.Padding.RIGHT)
                .build(), SEQ, rows, new Shape(2, 1, 5));
        assertArrayEquals(new long[] {3, 4, 0, 0, 0, 0, 0, 0, 0, 0}, right);
        long[] leftShort = encode(FeatureSpec.builder().sequences("history", List.of("h"), 5, Sequences.Padding.LEFT)
                .build(), SEQ, rows.subList(0, 1), new Shape(1, 1, 5));
        assertArrayEquals(new long[] {0, 0, 0, 3, 4}, leftShort);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encode(FeatureSpec.builder().sequences("history", List.of("h"), 5, Sequences.Padding.LEFT)
                        .build(), SEQ, List.of(row(List.of(3L, 0L))), new Shape(1, 1, 5)));
        assertTrue(e.getMessage().contains("column 'h'") && e.getMessage().contains("0 is padding"), e.getMessage());
    }

    @Test
    void vocabulariesMapRawValuesWithOrWithoutAnOovRow() {
        StructType schema = new StructType().add("genre", DataTypes.StringType).add("user", DataTypes.IntegerType);
        List<Row> rows = List.of(RowFactory.create("b", 7), RowFactory.create("zz", 9), RowFactory.create("a", 1));
        FeatureSpec open = FeatureSpec.builder().ids("sparse", List.of("user", "genre"))
                .vocabulary("genre", Map.of("a", 1, "b", 2), 3).build();
        assertArrayEquals(new long[] {7, 2, 9, 3, 1, 1}, encode(open, schema, rows, new Shape(3, 2)));

        FeatureSpec closed = FeatureSpec.builder().ids("sparse", List.of("user", "genre"))
                .vocabulary("genre", Map.of("a", 1, "b", 2), -1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encode(closed, schema, rows, new Shape(3, 2)));
        assertTrue(e.getMessage().contains("'zz'") && e.getMessage().contains("'genre'"), e.getMessage());

        FeatureSpec none = FeatureSpec.builder().ids("sparse", List.of("genre")).build();
        e = assertThrows(IllegalArgumentException.class, () -> encode(none, schema, rows, new Shape(3, 1)));
        assertTrue(e.getMessage().contains("needs a vocabulary"), e.getMessage());
    }

    @Test
    void numericColumnsAreStandardizedInFloat32AndNullsAreRefused() {
        StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.IntegerType);
        FeatureSpec spec = FeatureSpec.builder()
                .numeric("x_num", List.of("a", "b"), new float[] {1f, 10f}, new float[] {2f, 4f}).build();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            BatchEncoder enc = new BatchEncoder(spec, schema, 4);
            enc.add(RowFactory.create(5.0, 2));
            enc.add(RowFactory.create(-1.0, 30));
            NDList in = enc.inputs(m);
            assertEquals(new Shape(2, 2), in.get(0).getShape());
            assertArrayEquals(new float[] {2f, -2f, -1f, 5f}, in.get(0).toFloatArray());
            enc.clear();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> enc.add(RowFactory.create(5.0, null)));
            assertTrue(e.getMessage().contains("column 'b'") && e.getMessage().contains("null"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> FeatureSpec.builder()
                .numeric("x_num", List.of("a"), new float[] {0f}, new float[] {0f}));
    }

    @Test
    void checkListsEveryMisfitAgainstTheModelAndTheSchema() {
        StructType schema = new StructType()
                .add("user_id", DataTypes.IntegerType)
                .add("movie_id", DataTypes.StringType)
                .add("hist_movie_id", DataTypes.createArrayType(DataTypes.IntegerType));
        FeatureSpec swapped = FeatureSpec.builder()
                .sequences("history", List.of("hist_movie_id", "hist_movie_id"), 50, Sequences.Padding.LEFT)
                .ids("sparse", List.of("user_id", "user_id", "user_id"))
                .build();
        String msg = assertThrows(IllegalArgumentException.class,
                () -> swapped.check(Zoo.variant("din").inputs(Map.of()), schema)).getMessage();
        assertTrue(msg.contains("model input 0 is 'sparse', the spec binds 'history'")
                && msg.contains("a SEQUENCES binding gives rank 3"), msg);
        FeatureSpec misfit = FeatureSpec.builder()
                .ids("sparse", List.of("user_id", "movie_id", "genre_id"))
                .sequences("history", List.of("hist_movie_id"), 50, Sequences.Padding.LEFT)
                .build();
        msg = assertThrows(IllegalArgumentException.class,
                () -> misfit.check(Zoo.variant("din").inputs(Map.of()), schema)).getMessage();
        for (String part : List.of("has 2 behaviour fields", "column 'genre_id' of input 'sparse' is not in the DataFrame",
                "column 'movie_id' (string) of input 'sparse': an ids binding expects an integer column")) {
            assertTrue(msg.contains(part), "missing '" + part + "' in: " + msg);
        }
        FeatureSpec fits = FeatureSpec.builder()
                .ids("sparse", List.of("user_id", "movie_id", "user_id"))
                .sequences("history", List.of("hist_movie_id", "hist_movie_id"), 50, Sequences.Padding.LEFT)
                .vocabulary("movie_id", Map.of("m1", 1), 2)
                .build();
        fits.check(Zoo.variant("din").inputs(Map.of()), schema);
    }

    @Test
    void builderRefusesAmbiguousSpecs() {
        assertThrows(IllegalArgumentException.class, () -> FeatureSpec.builder().build());
        assertThrows(IllegalArgumentException.class, () -> FeatureSpec.builder()
                .ids("sparse", List.of("a")).ids("sparse", List.of("b")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureSpec.builder()
                .ids("sparse", List.of("a")).vocabulary("b", Map.of("x", 1), -1).build());
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FeatureSpec.builder()
                .ids("sparse", List.of("a")).vocabulary("a", Map.of("x", -1), -1));
    }

    private static Row row(List<Long> ids) {
        return RowFactory.create(scala.collection.JavaConverters.asScalaBufferConverter(ids).asScala());
    }

    private static long[] encode(FeatureSpec spec, StructType schema, List<Row> rows, Shape shape) {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            BatchEncoder enc = new BatchEncoder(spec, schema, rows.size());
            rows.forEach(enc::add);
            NDList in = enc.inputs(m);
            assertEquals(shape, in.get(0).getShape());
            return in.get(0).toLongArray();
        }
    }
}
