package io.github.mlpzoo.spark;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Scores a DataFrame with a registered zoo model on Spark: {@code score(df)} is {@code df} with the model's
 * outputs appended as columns, row for row.
 *
 * <pre>{@code
 * ZooScorer scorer = ZooScorer.builder(ModelSource.directory(Path.of("/models/din")),
 *         FeatureSpec.builder()
 *                 .ids("sparse", List.of("user_id", "movie_id", "genre_id"))
 *                 .sequences("history", List.of("hist_movie_id", "hist_genre_id"), 50, Sequences.Padding.LEFT)
 *                 .build())
 *         .optBatchSize(512).optThreads(1).build();
 * Dataset<Row> scored = scorer.score(impressions);   // + column "score" (float): the click logit
 * }</pre>
 *
 * <p>Each partition runs in {@code mapPartitions}: the task takes the model of its executor JVM (loaded once per
 * JVM and {@link ModelSource}, then shared by the executor's task threads), reads {@code batchSize} rows at a time,
 * encodes them through the {@link FeatureSpec}, runs one inference forward pass per batch, and returns the
 * rows with the outputs appended, lazily, so a partition is never held in memory whole. Output {@code j} of the
 * model, of per-row size {@code w}, becomes column {@code outputColumn} (j = 0) or {@code outputColumn_j}: a
 * float if {@code w = 1}, else an array of {@code w} floats (row-major over the non-batch axes). Outputs are the
 * block's raw outputs (logits for CTR models, standardized targets for the California regressors).
 */
public final class ZooScorer implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The default number of rows per forward pass. */
    public static final int DEFAULT_BATCH_SIZE = 512;

    private final ModelSource source;
    private final FeatureSpec spec;
    private final int batchSize;
    private final int threads;
    private final String outputColumn;
    private final int[] outputWidths;

    private ZooScorer(Builder b) {
        this.source = b.source;
        this.spec = b.spec;
        this.batchSize = b.batchSize;
        this.threads = b.threads;
        this.outputColumn = b.outputColumn;
        this.outputWidths = outputWidths(source);
    }

    /** A scorer of the model of {@code source}, fed through {@code spec}. */
    public static Builder builder(ModelSource source, FeatureSpec spec) {
        return new Builder(source, spec);
    }

    /** The per-row size of each model output, from the block's output shapes for its declared inputs. */
    public int[] outputWidths() {
        return outputWidths.clone();
    }

    /**
     * The schema of {@code score(df)} for a {@code df} of {@code input}: its columns, then the output columns.
     *
     * @throws IllegalArgumentException if the spec does not fit the model or {@code input}, or an output column
     *     name is taken
     */
    public StructType outputSchema(StructType input) {
        Variant<?> v = Zoo.variant(source.variant());
        spec.check(v.inputs(source.overrides()), input);
        StructType out = input;
        for (int j = 0; j < outputWidths.length; j++) {
            String name = j == 0 ? outputColumn : outputColumn + "_" + j;
            if (Arrays.asList(out.fieldNames()).contains(name)) {
                throw new IllegalArgumentException("output column '" + name + "' is already in the DataFrame; "
                        + "choose another name with optOutputColumn");
            }
            out = out.add(name, outputWidths[j] == 1 ? DataTypes.FloatType
                    : DataTypes.createArrayType(DataTypes.FloatType, false), false);
        }
        return out;
    }

    /**
     * {@code df} with the model's outputs appended (lazy, like every Spark transformation).
     *
     * @throws IllegalArgumentException if the spec does not fit the model or {@code df}'s schema
     */
    public Dataset<Row> score(Dataset<Row> df) {
        StructType out = outputSchema(df.schema());
        return df.mapPartitions(new ScorePartition(source, spec, df.schema(), batchSize, threads, outputWidths),
                Encoders.row(out));
    }

    private static int[] outputWidths(ModelSource source) {
        Variant<?> v = Zoo.variant(source.variant());
        DataDesc[] inputs = v.inputs(source.overrides());
        Shape[] in = Zoo.shapes(inputs);
        Block block = v.create(source.overrides());
        Shape[] shapes;
        try {
            shapes = block.getOutputShapes(in);
        } catch (RuntimeException e) {
            // some blocks know their output shapes only once initialized
            Engines.configureOffline();
            try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                block.initialize(m, DataType.FLOAT32, in);
                shapes = block.getOutputShapes(in);
            }
        }
        int[] w = new int[shapes.length];
        for (int j = 0; j < shapes.length; j++) {
            long size = shapes[j].size() / Math.max(1, shapes[j].get(0));
            if (size < 1 || size > Integer.MAX_VALUE) {
                throw new IllegalStateException(source.variant() + ": output " + j + " has shape " + shapes[j]
                        + " for inputs " + Arrays.toString(in) + "; cannot make a column of it");
            }
            w[j] = (int) size;
        }
        return w;
    }

    /** Builder for {@link ZooScorer}. */
    public static final class Builder {

        private final ModelSource source;
        private final FeatureSpec spec;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int threads = 1;
        private String outputColumn = "score";

        private Builder(ModelSource source, FeatureSpec spec) {
            if (source == null || spec == null) {
                throw new IllegalArgumentException("a scorer needs a model source and a feature spec");
            }
            this.source = source;
            this.spec = spec;
        }

        /** Rows per forward pass (default {@value #DEFAULT_BATCH_SIZE}). */
        public Builder optBatchSize(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("batch size must be >= 1; got " + rows);
            }
            this.batchSize = rows;
            return this;
        }

        /**
         * PyTorch intra-op threads per task thread (default 1: an executor with C cores runs C tasks at once, so
         * more would oversubscribe; with {@code spark.task.cpus=k} use k). 0 leaves the engine's setting.
         */
        public Builder optThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0 (0 = the engine's default); got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** The name of the first output column (default {@code score}); output j > 0 is {@code name_j}. */
        public Builder optOutputColumn(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("output column name must not be blank");
            }
            this.outputColumn = name;
            return this;
        }

        /**
         * The scorer.
         *
         * @throws IllegalArgumentException if the variant's config is invalid
         */
        public ZooScorer build() {
            return new ZooScorer(this);
        }
    }
}
