package io.github.mlpzoo.spark;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.mlpzoo.ctr.features.Sequences;
import io.github.mlpzoo.spark.FeatureSpec.Binding;
import io.github.mlpzoo.spark.FeatureSpec.Kind;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

/**
 * Encodes up to {@code capacity} rows into the model inputs of a {@link FeatureSpec}: one flat buffer per input,
 * reused from batch to batch, turned into NDArrays of shape {@code (n, F)}, {@code (n, S)} or {@code (n, H, T)}.
 */
final class BatchEncoder {

    private final FeatureSpec spec;
    private final List<Binding> bindings;
    private final int[][] columns;
    private final Object[] buffers;
    private final int capacity;
    private int[] scratch = new int[64];
    private int size;

    BatchEncoder(FeatureSpec spec, StructType schema, int capacity) {
        this.spec = spec;
        this.bindings = spec.bindings();
        this.capacity = capacity;
        columns = new int[bindings.size()][];
        buffers = new Object[bindings.size()];
        for (int i = 0; i < bindings.size(); i++) {
            Binding b = bindings.get(i);
            columns[i] = b.columns().stream().mapToInt(schema::fieldIndex).toArray();
            buffers[i] = b.kind() == Kind.NUMERIC ? new float[capacity * b.width()] : new long[capacity * b.width()];
        }
    }

    int size() {
        return size;
    }

    boolean full() {
        return size == capacity;
    }

    void clear() {
        size = 0;
    }

    /** Appends {@code row}. */
    void add(Row row) {
        if (full()) {
            throw new IllegalStateException("batch is full (" + capacity + " rows)");
        }
        for (int i = 0; i < bindings.size(); i++) {
            Binding b = bindings.get(i);
            int[] cols = columns[i];
            int off = size * b.width();
            switch (b.kind()) {
                case NUMERIC -> {
                    float[] out = (float[]) buffers[i];
                    for (int f = 0; f < cols.length; f++) {
                        Object v = row.get(cols[f]);
                        if (!(v instanceof Number n)) {
                            throw nullValue(b, f, v);
                        }
                        float x = n.floatValue();
                        out[off + f] = b.mean() == null ? x : (x - b.mean()[f]) / b.std()[f];
                    }
                }
                case IDS -> {
                    long[] out = (long[]) buffers[i];
                    for (int f = 0; f < cols.length; f++) {
                        Object v = row.get(cols[f]);
                        if (v == null) {
                            throw nullValue(b, f, null);
                        }
                        out[off + f] = spec.id(b.columns().get(f), v);
                    }
                }
                case SEQUENCES -> {
                    long[] out = (long[]) buffers[i];
                    for (int h = 0; h < cols.length; h++) {
                        String name = b.columns().get(h);
                        List<Object> seq = row.isNullAt(cols[h]) ? List.of() : row.getList(cols[h]);
                        if (scratch.length < seq.size()) {
                            scratch = new int[Math.max(seq.size(), 2 * scratch.length)];
                        }
                        int n = seq.size();
                        // only the most recent maxLen ids are kept: look up no older ones
                        int from = Math.max(0, n - b.maxLen());
                        for (int t = from; t < n; t++) {
                            Object v = seq.get(t);
                            if (v == null) {
                                throw new IllegalArgumentException("column '" + name + "' holds a null id at position "
                                        + t + "; histories hold ids >= 1 (shorter histories are padded for you)");
                            }
                            long id = spec.id(name, v);
                            if (id > Integer.MAX_VALUE) {
                                throw new IllegalArgumentException("column '" + name + "': id " + id + " exceeds "
                                        + Integer.MAX_VALUE);
                            }
                            scratch[t] = (int) id;
                        }
                        try {
                            Sequences.encode(scratch, from, n, b.maxLen(), b.padding(), out,
                                    off + h * b.maxLen());
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("column '" + name + "': " + e.getMessage(), e);
                        }
                    }
                }
                default -> throw new IllegalStateException(b.kind().toString());
            }
        }
        size++;
    }

    private static IllegalArgumentException nullValue(Binding b, int f, Object v) {
        return new IllegalArgumentException("column '" + b.columns().get(f) + "' of input '" + b.input() + "' holds "
                + (v == null ? "null" : v.getClass().getSimpleName() + " '" + v + "'") + "; "
                + (b.kind() == Kind.NUMERIC ? "a number" : "an id") + " is expected in every row (fill or drop nulls"
                + " before scoring)");
    }

    /** The {@link #size} rows encoded so far, as the model's inputs on {@code manager}. */
    NDList inputs(NDManager manager) {
        NDList out = new NDList(bindings.size());
        for (int i = 0; i < bindings.size(); i++) {
            Binding b = bindings.get(i);
            int w = b.width();
            Shape shape = b.kind() == Kind.SEQUENCES ? new Shape(size, b.columns().size(), b.maxLen())
                    : new Shape(size, w);
            if (b.kind() == Kind.NUMERIC) {
                out.add(manager.create(Arrays.copyOf((float[]) buffers[i], size * w), shape));
            } else {
                out.add(manager.create(Arrays.copyOf((long[]) buffers[i], size * w), shape));
            }
            out.get(i).setName(b.input());
        }
        return out;
    }
}
