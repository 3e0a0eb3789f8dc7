package io.github.mlpzoo.spark;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The task body of {@link ZooScorer}: pulls {@code batchSize} rows, scores them in one forward pass on a fresh
 * sub-manager of the executor's shared model, and hands them back with the outputs appended, batch by batch.
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final ModelSource source;
    private final FeatureSpec spec;
    private final StructType schema;
    private final int batchSize;
    private final int threads;
    private final int[] widths;

    ScorePartition(ModelSource source, FeatureSpec spec, StructType schema, int batchSize, int threads,
            int[] widths) {
        this.source = source;
        this.spec = spec;
        this.schema = schema;
        this.batchSize = batchSize;
        this.threads = threads;
        this.widths = widths.clone();
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return rows;
        }
        Model model = ExecutorModels.get(source, threads);
        BatchEncoder encoder = new BatchEncoder(spec, schema, batchSize);
        Row[] batch = new Row[batchSize];
        int columns = schema.size();
        return new Iterator<>() {
            private Row[] scored = new Row[0];
            private int next;

            @Override
            public boolean hasNext() {
                if (next < scored.length) {
                    return true;
                }
                if (!rows.hasNext()) {
                    return false;
                }
                encoder.clear();
                int n = 0;
                while (n < batchSize && rows.hasNext()) {
                    Row r = rows.next();
                    encoder.add(r);
                    batch[n++] = r;
                }
                float[][] outputs = forward(model, encoder, n);
                scored = new Row[n];
                for (int i = 0; i < n; i++) {
                    Object[] values = new Object[columns + widths.length];
                    for (int c = 0; c < columns; c++) {
                        values[c] = batch[i].get(c);
                    }
                    for (int j = 0; j < widths.length; j++) {
                        int w = widths[j];
                        if (w == 1) {
                            values[columns + j] = outputs[j][i];
                        } else {
                            float[] v = new float[w];
                            System.arraycopy(outputs[j], i * w, v, 0, w);
                            values[columns + j] = v;
                        }
                    }
                    scored[i] = RowFactory.create(values);
                    batch[i] = null;
                }
                next = 0;
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return scored[next++];
            }
        };
    }

    /** One inference forward pass over the {@code n} encoded rows; output j as a flat (n · widths[j]) array. */
    private float[][] forward(Model model, BatchEncoder encoder, int n) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList out = model.getBlock().forward(new ParameterStore(m, false), encoder.inputs(m), false);
            if (out.size() != widths.length) {
                throw new IllegalStateException(source + " returned " + out.size() + " outputs; " + widths.length
                        + " were expected from its output shapes");
            }
            float[][] flat = new float[widths.length][];
            for (int j = 0; j < widths.length; j++) {
                NDArray y = out.get(j);
                if (y.getShape().size() != (long) n * widths[j]) {
                    throw new IllegalStateException(source + ": output " + j + " has shape " + y.getShape() + " for "
                            + n + " rows; " + widths[j] + " values per row were expected");
                }
                flat[j] = (y.getDataType() == DataType.FLOAT32 ? y : y.toType(DataType.FLOAT32, false))
                        .toFloatArray();
            }
            return flat;
        }
    }
}
