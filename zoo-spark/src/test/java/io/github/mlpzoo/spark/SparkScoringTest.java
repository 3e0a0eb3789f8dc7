package io.github.mlpzoo.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import io.github.mlpzoo.core.weights.Weights;
import io.github.mlpzoo.core.zoo.Zoo;
import io.github.mlpzoo.ctr.data.CtrData;
import io.github.mlpzoo.ctr.data.PlantedInterest;
import io.github.mlpzoo.ctr.features.Sequences;
import io.github.mlpzoo.tabular.data.CaliforniaHousing;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Spark local mode with two executor threads ({@code local[2]}) scores as one JVM does, row for row: a MovieLens-shaped
 * DIN on synthetic data (ids, string categories through a vocabulary, behaviour sequences of varying length), the
 * California Housing MLP on the shipped test split (raw numerics standardized by the spec), TabM-mini on the
 * preprocessed features plus categorical columns (an array output column of its 32 members), and DIN with the official
 * DeepCTR-Torch golden weights (with a dense input) against the official output.
 */
class SparkScoringTest {

    private static SparkSession spark;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("zoo-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void dinOnSyntheticMovieLensMatchesOneJvm() throws IOException {
        // MovieLens fields (user 611, movie 9,725, genre 20 rows; histories of movie and genre, T = 50); a wider init
        // than DeepCTR's 1e-4 so the scores differ from row to row
        Map<String, String> overrides = Map.of("initStd", "0.3");
        Path dir = tmp.resolve("din");
        try (Model m = Zoo.newModel("din", overrides, 11)) {
            Zoo.save(m, "din", overrides, dir);
        }
        CtrData data = PlantedInterest.generate(5, 2000, 600, 9000, 19, 3, 50);
        int t = data.maxLen();
        StructType schema = new StructType()
                .add("id", DataTypes.LongType, false)
                .add("user_id", DataTypes.IntegerType, false)
                .add("movie_id", DataTypes.LongType, false)
                .add("genre", DataTypes.StringType, false)
                .add("hist_movie_id", DataTypes.createArrayType(DataTypes.IntegerType, false), true)
                .add("hist_genre", DataTypes.createArrayType(DataTypes.StringType, false), true);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < data.size(); r++) {
            long[] s = java.util.Arrays.copyOfRange(data.sparse(), r * 3, r * 3 + 3);
            List<Integer> movies = new ArrayList<>();
            List<String> genres = new ArrayList<>();
            for (int k = 0; k < t; k++) {   // left-padded in CtrData: the real ids are the non-zero tail
                long movie = data.history()[(r * 2) * t + k];
                long genre = data.history()[(r * 2 + 1) * t + k];
                if (movie != 0) {
                    movies.add((int) movie);
                    genres.add("g" + genre);
                }
            }
            rows.add(RowFactory.create((long) r, (int) s[0], s[1], "g" + s[2], movies, genres));
        }
        Map<String, Integer> genreIds = new HashMap<>();
        for (int g = 1; g < 20; g++) {
            genreIds.put("g" + g, g);
        }
        FeatureSpec spec = FeatureSpec.builder()
                .ids("sparse", List.of("user_id", "movie_id", "genre"))
                .sequences("history", List.of("hist_movie_id", "hist_genre"), t, Sequences.Padding.LEFT)
                .vocabulary("genre", genreIds, -1)
                .vocabulary("hist_genre", genreIds, -1)
                .build();
        ModelSource source = ModelSource.directory(dir);
        ZooScorer scorer = ZooScorer.builder(source, spec).optBatchSize(128).optThreads(1).build();
        Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(4);
        Dataset<Row> scored = scorer.score(df);
        assertEquals(schema.add("score", DataTypes.FloatType, false), scored.schema());
        float[] spark = byId(scored.collectAsList(), data.size());

        float[] single = new float[data.size()];
        try (ZooModel<NDList, NDList> model = load(dir)) {
            for (int from = 0; from < data.size(); from += 700) {
                int to = Math.min(data.size(), from + 700);
                try (NDManager m = model.getNDManager().newSubManager()) {
                    float[] y = forward(model, data.inputs(m, from, to), m);
                    System.arraycopy(y, 0, single, from, to - from);
                }
            }
        }
        assertRowForRow(single, spark, 1e-5, "din");
        assertEquals(2000, scored.count());   // a second job over the same executors
        assertEquals(1, ExecutorModels.loads(source), "the model is loaded once per executor JVM");
    }

    @Test
    void californiaMlpMatchesOneJvm() throws IOException {
        CaliforniaHousing ch = CaliforniaHousing.loadEmbedded();
        Path dir = tmp.resolve("mlp");
        try (Model m = Zoo.newModel("mlp", Map.of(), 7)) {
            Zoo.save(m, "mlp", Map.of(), dir);
        }
        int f = CaliforniaHousing.N_FEATURES;
        float[] train = ch.rawFeatures(CaliforniaHousing.Part.TRAIN);
        float[] mean = new float[f];
        float[] std = new float[f];
        int nTrain = train.length / f;
        for (int j = 0; j < f; j++) {
            double s = 0;
            double ss = 0;
            for (int i = 0; i < nTrain; i++) {
                s += train[i * f + j];
            }
            double mu = s / nTrain;
            for (int i = 0; i < nTrain; i++) {
                ss += (train[i * f + j] - mu) * (train[i * f + j] - mu);
            }
            mean[j] = (float) mu;
            std[j] = (float) Math.sqrt(ss / nTrain);
        }
        float[] test = ch.rawFeatures(CaliforniaHousing.Part.TEST);
        int n = test.length / f;
        StructType schema = new StructType().add("id", DataTypes.LongType, false);
        for (String c : CaliforniaHousing.FEATURES) {
            schema = schema.add(c, DataTypes.DoubleType, false);
        }
        List<Row> rows = new ArrayList<>();
        float[] standardized = new float[test.length];
        for (int i = 0; i < n; i++) {
            Object[] v = new Object[f + 1];
            v[0] = (long) i;
            for (int j = 0; j < f; j++) {
                v[j + 1] = (double) test[i * f + j];
                standardized[i * f + j] = (test[i * f + j] - mean[j]) / std[j];
            }
            rows.add(RowFactory.create(v));
        }
        FeatureSpec spec = FeatureSpec.builder().numeric("x_num", CaliforniaHousing.FEATURES, mean, std).build();
        ZooScorer scorer = ZooScorer.builder(ModelSource.directory(dir), spec)
                .optBatchSize(300).optOutputColumn("y_std").build();
        float[] spark = byId(scorer.score(spark().createDataFrame(rows, schema)).collectAsList(), n);

        float[] single;
        try (ZooModel<NDList, NDList> model = load(dir);
                NDManager m = model.getNDManager().newSubManager()) {
            single = forward(model, new NDList(m.create(standardized, new Shape(n, f))), m);
        }
        assertRowForRow(single, spark, 1e-5, "mlp");
    }

    @Test
    void tabmMiniWithCategoricalsGivesAnArrayOfMemberPredictions() throws IOException {
        // the protocol's preprocessed California features plus two categorical string columns (ordinal codes from 0,
        // one-hot in TabM); output (B, k = 32, 1): one array column of the 32 members' predictions
        Map<String, String> overrides = Map.of("catCardinalities", "3,4");
        Path dir = tmp.resolve("tabm_mini");
        try (Model m = Zoo.newModel("tabm_mini", overrides, 3)) {
            Zoo.save(m, "tabm_mini", overrides, dir);
        }
        float[] x = CaliforniaHousing.loadEmbedded().features(CaliforniaHousing.Part.TEST);
        int f = CaliforniaHousing.N_FEATURES;
        int n = 1000;
        StructType schema = new StructType().add("id", DataTypes.LongType, false);
        for (String c : CaliforniaHousing.FEATURES) {
            schema = schema.add(c, DataTypes.FloatType, false);
        }
        schema = schema.add("size", DataTypes.StringType, false).add("zone", DataTypes.StringType, false);
        String[] sizes = {"large", "medium", "small"};
        String[] zones = {"a", "b", "c", "d"};
        long[] codes = new long[n * 2];
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object[] v = new Object[f + 3];
            v[0] = (long) i;
            for (int j = 0; j < f; j++) {
                v[j + 1] = x[i * f + j];
            }
            codes[2 * i] = (i * 7) % 3;
            codes[2 * i + 1] = (i * 5) % 4;
            v[f + 1] = sizes[(int) codes[2 * i]];
            v[f + 2] = zones[(int) codes[2 * i + 1]];
            rows.add(RowFactory.create(v));
        }
        FeatureSpec spec = FeatureSpec.builder()
                .numeric("x_num", CaliforniaHousing.FEATURES)
                .ids("x_cat", List.of("size", "zone"))
                .vocabulary("size", Map.of("large", 0, "medium", 1, "small", 2), 3)
                .vocabulary("zone", Map.of("a", 0, "b", 1, "c", 2, "d", 3), 4)
                .build();
        ZooScorer scorer = ZooScorer.builder(ModelSource.directory(dir), spec).optBatchSize(256).build();
        assertArrayEquals(new int[] {32}, scorer.outputWidths());
        Dataset<Row> scored = scorer.score(spark().createDataFrame(rows, schema));
        assertEquals(DataTypes.createArrayType(DataTypes.FloatType, false), scored.schema().apply("score").dataType());
        float[] spark = new float[n * 32];
        for (Row r : scored.collectAsList()) {
            List<Float> members = r.getList(r.fieldIndex("score"));
            assertEquals(32, members.size());
            for (int k = 0; k < 32; k++) {
                spark[(int) r.getLong(0) * 32 + k] = members.get(k);
            }
        }
        float[] single;
        try (ZooModel<NDList, NDList> model = load(dir);
                NDManager m = model.getNDManager().newSubManager()) {
            single = forward(model, new NDList(m.create(java.util.Arrays.copyOf(x, n * f), new Shape(n, f)),
                    m.create(codes, new Shape(n, 2))), m);
        }
        assertRowForRow(single, spark, 1e-5, "tabm_mini (32 members per row)");
    }

    @Test
    void officialDinWeightsWithDenseInputMatchTheOfficialOutput() throws IOException {
        Path golden = Path.of(System.getProperty("zoo.testdata", "../src-test-data")).resolve("golden/din");
        Properties p = new Properties();
        try (FileInputStream in = new FileInputStream(golden.resolve("config.properties").toFile())) {
            p.load(in);
        }
        Map<String, String> overrides = new HashMap<>();
        p.stringPropertyNames().forEach(k -> overrides.put(k, p.getProperty(k)));
        long[] sparse;
        long[] history;
        float[] dense;
        float[] official;
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDList in = Weights.readArrays(golden.resolve("input.npz"), m);
            sparse = in.get(0).toLongArray();
            history = in.get(1).toLongArray();
            dense = in.get(2).toFloatArray();
            official = Weights.readArrays(golden.resolve("output.npy"), m).get(0).toFloatArray();
        }
        int n = official.length;
        StructType schema = new StructType().add("id", DataTypes.LongType, false);
        for (String c : List.of("user", "gender", "item", "item_gender")) {
            schema = schema.add(c, DataTypes.LongType, false);
        }
        schema = schema.add("hist_item", DataTypes.createArrayType(DataTypes.LongType, false), true)
                .add("hist_item_gender", DataTypes.createArrayType(DataTypes.LongType, false), true)
                .add("score", DataTypes.FloatType, false);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            List<List<Long>> hist = new ArrayList<>();
            for (int h = 0; h < 2; h++) {
                List<Long> ids = new ArrayList<>();
                for (int k = 0; k < 4; k++) {   // right-padded (DeepCTR's layout)
                    long id = history[(r * 2 + h) * 4 + k];
                    if (id != 0) {
                        ids.add(id);
                    }
                }
                hist.add(ids);
            }
            rows.add(RowFactory.create((long) r, sparse[r * 4], sparse[r * 4 + 1], sparse[r * 4 + 2],
                    sparse[r * 4 + 3], hist.get(0).isEmpty() ? null : hist.get(0), hist.get(1), dense[r]));
        }
        FeatureSpec spec = FeatureSpec.builder()
                .ids("sparse", List.of("user", "gender", "item", "item_gender"))
                .sequences("history", List.of("hist_item", "hist_item_gender"), 4, Sequences.Padding.RIGHT)
                .numeric("dense", List.of("score"))
                .build();
        ModelSource source = ModelSource.officialWeights("din", overrides, golden.resolve("weights.safetensors"));
        ZooScorer scorer = ZooScorer.builder(source, spec).optBatchSize(3).optOutputColumn("logit").build();
        float[] spark = byId(scorer.score(spark().createDataFrame(rows, schema)).collectAsList(), n);
        assertRowForRow(official, spark, 1e-4, "din golden");
    }

    @Test
    void aSpecThatDoesNotFitTheModelFailsOnTheDriver() throws IOException {
        Path dir = tmp.resolve("mlp-misfit");
        try (Model m = Zoo.newModel("mlp", Map.of(), 1)) {
            Zoo.save(m, "mlp", Map.of(), dir);
        }
        StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.StringType);
        Dataset<Row> df = spark().createDataFrame(List.of(RowFactory.create(1.0, "x")), schema);
        ZooScorer scorer = ZooScorer.builder(ModelSource.directory(dir),
                FeatureSpec.builder().numeric("x_num", List.of("a", "b")).build()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scorer.score(df));
        assertTrue(e.getMessage().contains("has 8 features") && e.getMessage().contains("column 'b' (string)"),
                e.getMessage());
    }

    private static SparkSession spark() {
        return spark;
    }

    private static ZooModel<NDList, NDList> load(Path dir) throws IOException {
        try {
            return Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(dir).optEngine("PyTorch")
                    .build().loadModel();
        } catch (ai.djl.repository.zoo.ModelNotFoundException | ai.djl.MalformedModelException e) {
            throw new IOException(e);
        }
    }

    private static float[] forward(Model model, NDList inputs, NDManager m) {
        NDArray y = model.getBlock().forward(new ParameterStore(m, false), inputs, false).singletonOrThrow();
        return y.toFloatArray();
    }

    /** The output column (the last) of {@code rows}, indexed by their {@code id} (the first). */
    private static float[] byId(List<Row> rows, int n) {
        assertEquals(n, rows.size());
        float[] out = new float[n];
        java.util.Arrays.fill(out, Float.NaN);
        for (Row r : rows) {
            out[(int) r.getLong(0)] = r.getFloat(r.size() - 1);
        }
        return out;
    }

    private static void assertRowForRow(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length);
        double worst = 0;
        double mean = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            assertTrue(d <= tol, what + " row " + i + ": Spark " + actual[i] + " vs one JVM " + expected[i]);
            worst = Math.max(worst, d);
            mean += expected[i];
        }
        mean /= expected.length;
        double var = 0;
        for (float e : expected) {
            var += (e - mean) * (e - mean);
        }
        double sd = Math.sqrt(var / expected.length);
        // a constant output would make the comparison meaningless
        assertTrue(sd > 1e-3, what + ": scores barely vary (std " + sd + ")");
        System.out.printf("%s: %d rows, max |Spark - one JVM| = %.3g (score std %.3g)%n", what, expected.length,
                worst, sd);
    }
}
