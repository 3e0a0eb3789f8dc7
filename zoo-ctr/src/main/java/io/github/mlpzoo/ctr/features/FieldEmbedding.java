package io.github.mlpzoo.ctr.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The embedding tables of a CTR model: one table per categorical field, and behaviour sequences looked up either in
 * the table of their item field (shared, FuxiCTR's {@code share_embedding}, DeepCTR's {@code embedding_name}) or in
 * tables of their own (DeepCTR's default, e.g. {@code hist_item}).
 *
 * <p>Inputs: {@code sparse (B, S)} int64 (field {@code i} reads column {@code columns[i]}) and, with behaviour fields,
 * {@code history (B, H, T)} int64, where 0 is padding. Outputs: {@code fields (B, F, E)}; with behaviour fields also
 * {@code history (B, T, H, E)} and {@code mask (B, T)} float32, 1 where the first behaviour field's id is not 0. DJL's
 * embedding has no padding index, so padded positions get the row-0 vector and the models must multiply by (or
 * select with) the mask; the mask is how padding contributes nothing. Ids outside {@code [0, rows)} of their table
 * raise an {@link IllegalArgumentException} naming the field, the id and the table size (map unseen raw values to
 * an OOV id with {@link Vocabulary#open} before they get here). T is free.
 *
 * <p>Parameters: {@code table0..table(F-1)}, then {@code hist0..} for unshared history tables; rows N(0, initStd)
 * (both libraries), row 0 zero if {@code zeroPaddingRow} (FuxiCTR's {@code padding_idx=0}).
 */
public final class FieldEmbedding extends DescribedBlock {

    private static final byte VERSION = 1;

    private final int[] rows;
    private final int[] columns;
    private final int[] historyFields;
    private final boolean shared;
    private final int dim;
    private final List<Parameter> tables = new ArrayList<>();
    private final List<Parameter> historyTables = new ArrayList<>();

    /**
     * @param rows table rows per field
     * @param columns for each field, its column in the sparse input ({@code null}: field i reads column i)
     * @param historyFields for each behaviour field, the field whose table (or table size, when not shared) it uses
     * @param shared whether behaviour fields share their field's table
     * @param dim embedding width E
     * @param initStd the std of the N(0, std) initialization
     * @param zeroPaddingRow whether row 0 starts at 0
     */
    public FieldEmbedding(int[] rows, int[] columns, int[] historyFields, boolean shared, int dim, float initStd,
            boolean zeroPaddingRow) {
        super(VERSION);
        this.rows = rows.clone();
        this.columns = columns == null ? identity(rows.length) : columns.clone();
        this.historyFields = historyFields.clone();
        this.shared = shared;
        this.dim = dim;
        if (rows.length == 0 || this.columns.length != rows.length || dim < 1) {
            throw new IllegalArgumentException("FieldEmbedding needs >= 1 field, one column per field and dim >= 1; got "
                    + rows.length + " fields, " + this.columns.length + " columns, dim " + dim);
        }
        for (int h : historyFields) {
            if (h < 0 || h >= rows.length) {
                throw new IllegalArgumentException("behaviour field refers to field " + h + "; there are " + rows.length);
            }
        }
        Initializer init = (m, s, t) -> {
            NDArray a = m.randomNormal(0f, initStd, s, t);
            if (zeroPaddingRow) {
                a.set(new NDIndex("0"), 0f);
            }
            return a;
        };
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 1) {
                throw new IllegalArgumentException("field " + i + " needs >= 1 table row; got " + rows[i]);
            }
            tables.add(addParameter(Parameter.builder().setName("table" + i).setType(Parameter.Type.WEIGHT)
                    .optInitializer(init).optShape(new Shape(rows[i], dim)).build()));
        }
        if (!shared) {
            for (int h = 0; h < historyFields.length; h++) {
                historyTables.add(addParameter(Parameter.builder().setName("hist" + h).setType(Parameter.Type.WEIGHT)
                        .optInitializer(init).optShape(new Shape(rows[historyFields[h]], dim)).build()));
            }
        }
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        Arrays.setAll(out, i -> i);
        return out;
    }

    /** The number of fields F. */
    public int fields() {
        return rows.length;
    }

    /** The number of behaviour fields H. */
    public int historyFields() {
        return historyFields.length;
    }

    /** The table of field {@code i}. */
    public Parameter table(int i) {
        return tables.get(i);
    }

    /** The table behaviour field {@code h} looks up (its field's table when shared). */
    public Parameter historyTable(int h) {
        return shared ? tables.get(historyFields[h]) : historyTables.get(h);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        int expected = historyFields.length > 0 ? 2 : 1;
        InputCheck.count("FieldEmbedding", inputs, expected);
        check(inputs.getShapes());
        for (int i = 0; i < expected; i++) {
            DataType t = inputs.get(i).getDataType();
            if (t != DataType.INT64 && t != DataType.INT32) {
                throw new IllegalArgumentException(String.format(
                        "FieldEmbedding expects %s as int64 (or int32) ids; got %s",
                        i == 0 ? "sparse ids" : "history ids", t));
            }
        }
        NDArray sparse = inputs.get(0);
        var device = sparse.getDevice();
        NDList out = new NDList();
        NDList fields = new NDList(rows.length);
        for (int i = 0; i < rows.length; i++) {
            NDArray ids = sparse.get(new NDIndex(":, {}", columns[i]));                       // (B)
            checkRange(ids, rows[i], "field " + i + " (sparse column " + columns[i] + ")");
            fields.add(Embedding.embedding(ids, ps.getValue(tables.get(i), device, training), SparseFormat.DENSE)
                    .singletonOrThrow());                                                       // (B, E)
        }
        out.add(ai.djl.ndarray.NDArrays.stack(fields, 1));                                     // (B, F, E)
        if (historyFields.length > 0) {
            NDArray history = inputs.get(1);
            NDList seqs = new NDList(historyFields.length);
            for (int h = 0; h < historyFields.length; h++) {
                NDArray ids = history.get(new NDIndex(":, {}, :", h));                         // (B, T)
                checkRange(ids, rows[historyFields[h]], "behaviour field " + h);
                seqs.add(Embedding.embedding(ids, ps.getValue(historyTable(h), device, training), SparseFormat.DENSE)
                        .singletonOrThrow());                                                   // (B, T, E)
            }
            out.add(ai.djl.ndarray.NDArrays.stack(seqs, 2));                                   // (B, T, H, E)
            out.add(history.get(new NDIndex(":, 0, :")).neq(0L).toType(DataType.FLOAT32, false));   // (B, T)
        }
        return out;
    }

    private static void checkRange(NDArray ids, int rows, String what) {
        if (ids.isEmpty()) {
            return;
        }
        long min = ids.min().getLong();
        long max = ids.max().getLong();
        if (min < 0 || max >= rows) {
            throw new IllegalArgumentException(String.format(
                    "%s has id %d outside its table of %d rows (ids must be in [0, %d); map unseen values to the "
                            + "vocabulary's OOV id)", what, min < 0 ? min : max, rows, rows));
        }
    }

    private void check(Shape[] shapes) {
        int maxColumn = Arrays.stream(columns).max().orElse(0);
        Shape s = shapes[0];
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("FieldEmbedding expects sparse ids (B, S) of rank 2; got rank "
                    + s.dimension() + " " + s);
        }
        if (s.get(1) <= maxColumn) {
            throw new IllegalArgumentException("FieldEmbedding expects sparse ids (B, S) with S > " + maxColumn
                    + ": axis 1 is too small; got " + s);
        }
        if (historyFields.length > 0) {
            InputCheck.shape("FieldEmbedding", "history ids (B, H, T)", shapes[1], s.get(0), historyFields.length,
                    InputCheck.ANY);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes);
        long b = inputShapes[0].get(0);
        Shape fields = new Shape(b, rows.length, dim);
        if (historyFields.length == 0) {
            return new Shape[] {fields};
        }
        long t = inputShapes[1].get(2);
        return new Shape[] {fields, new Shape(b, t, historyFields.length, dim), new Shape(b, t)};
    }

    @Override
    public String toString() {
        return "FieldEmbedding(rows=" + Arrays.toString(rows) + ", columns=" + Arrays.toString(columns) + ", history="
                + Arrays.toString(historyFields) + (shared ? " shared" : " own tables") + ", E=" + dim + ")";
    }
}
