package io.github.mlpzoo.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;

import ai.djl.Model;
import io.github.mlpzoo.core.zoo.Zoo;
import io.github.mlpzoo.ctr.features.Sequences;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The throughput measurement of the README's scaling note (run by hand, not a test): scores {@code rows} synthetic
 * MovieLens-shaped impressions (user, movie, genre ids; movie and genre histories of 5..50 entries, generated inside
 * Spark from the row id) with the full MovieLens DIN (229,010 parameters, T = 50) on {@code master}, end to end:
 * generation, feature encoding, forward passes and an aggregate of the scores. Prints wall time, the process CPU
 * time and rows per second of each, after a warm-up job that loads the model and warms the JIT.
 *
 * <pre>
 * java [--add-opens as in the pom] -cp ... io.github.mlpzoo.spark.ScoringThroughput local[2] 1000000 512 8
 * </pre>
 */
public final class ScoringThroughput {

    private ScoringThroughput() {}

    /** Arguments: master, rows, batch size, partitions. */
    public static void main(String[] args) throws Exception {
        String master = args.length > 0 ? args[0] : "local[2]";
        long rows = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 512;
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        Path dir = Files.createTempDirectory("zoo-spark-din");
        Map<String, String> overrides = Map.of("initStd", "0.3");
        try (Model m = Zoo.newModel("din", overrides, 1)) {
            Zoo.save(m, "din", overrides, dir.resolve("model"));
        }
        SparkSession spark = SparkSession.builder().master(master).appName("zoo-spark-throughput")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            FeatureSpec spec = FeatureSpec.builder()
                    .ids("sparse", List.of("user_id", "movie_id", "genre_id"))
                    .sequences("history", List.of("hist_movie_id", "hist_genre_id"), 50, Sequences.Padding.LEFT)
                    .build();
            ZooScorer scorer = ZooScorer.builder(ModelSource.directory(dir.resolve("model")), spec)
                    .optBatchSize(batch).optThreads(1).build();
            time("warm-up (model load, JIT)", 20_000,
                    () -> scorer.score(impressions(spark, 20_000, partitions)).agg(sum("score")).collectAsList());
            time("generate only", rows, () -> impressions(spark, rows, partitions)
                    .agg(sum(size(col("hist_movie_id"))), sum(size(col("hist_genre_id")))).collectAsList());
            Row r = time("generate + score", rows, () -> scorer.score(impressions(spark, rows, partitions))
                    .agg(count("score"), sum("score")).collectAsList()).get(0);
            System.out.printf("master %s, %d rows, batch %d, %d partitions, 1 PyTorch thread per task: scored %d rows, "
                    + "sum of logits %.4f%n", master, rows, batch, partitions, r.getLong(0), r.getDouble(1));
        } finally {
            spark.stop();
        }
    }

    /** Synthetic impressions with ids in the MovieLens tables' ranges, deterministic in the row id. */
    static Dataset<Row> impressions(SparkSession spark, long rows, int partitions) {
        return spark.range(0, rows, 1, partitions)
                .withColumn("user_id", expr("cast(pmod(hash(id, 1), 610) + 1 as int)"))
                .withColumn("movie_id", expr("cast(pmod(hash(id, 2), 9724) + 1 as int)"))
                .withColumn("genre_id", expr("cast(pmod(hash(id, 3), 19) + 1 as int)"))
                .withColumn("len", expr("pmod(hash(id, 4), 46) + 5"))
                .withColumn("hist_movie_id",
                        expr("transform(sequence(1, len), k -> cast(pmod(hash(id, k, 5), 9724) + 1 as int))"))
                .withColumn("hist_genre_id",
                        expr("transform(sequence(1, len), k -> cast(pmod(hash(id, k, 6), 19) + 1 as int))"));
    }

    private static <T> T time(String what, long rows, java.util.concurrent.Callable<T> job) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        T out = job.call();
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf("%-28s %,10d rows  wall %8.1f s  %,9.0f rows/s   process CPU %8.1f s  %,9.0f rows/CPU-s"
                + "  (load avg %.1f)%n", what, rows, wall, rows / wall, cpu, rows / cpu, os.getSystemLoadAverage());
        return out;
    }
}
