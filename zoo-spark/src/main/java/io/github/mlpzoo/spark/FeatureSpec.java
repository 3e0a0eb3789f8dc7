package io.github.mlpzoo.spark;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.mlpzoo.ctr.features.Sequences;
import io.github.mlpzoo.ctr.features.Vocabulary;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the columns of a DataFrame become the inputs of a zoo model: one binding per model input, in the model's
 * input order ({@code Variant.inputs}), each reading a list of columns.
 * <ul>
 *   <li>{@link Builder#numeric numeric}: numeric columns to a float32 input {@code (B, F)}, one column per
 *       feature, optionally standardized {@code (x - mean) / std} per column in float32 (the tabular
 *       {@code x_num} input);</li>
 *   <li>{@link Builder#ids ids}: integer columns (or any column with a {@link Builder#vocabulary vocabulary})
 *       to an int64 input {@code (B, S)} (the CTR {@code sparse} input);</li>
 *   <li>{@link Builder#sequences sequences}: array columns of ids, oldest first, to an int64 input
 *       {@code (B, H, T)}, each history cut to its {@code T} most recent entries and padded with id 0 as
 *       {@link Sequences} does (the CTR {@code history} input); a null array is an empty history.</li>
 * </ul>
 * A vocabulary maps a column's raw values (compared as strings) to ids, with an out-of-vocabulary id for unseen
 * values or, if closed, an error naming the value; it applies to every element of an array column. CTR ids start
 * at 1 (0 is padding; a history id 0 raises), tabular ordinal codes at 0 (TabM's {@code x_cat}, with the unknown
 * code equal to the cardinality).
 * {@link #check} compares the spec with the model's inputs and the DataFrame's schema before anything runs.
 */
public final class FeatureSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The kind of a binding. */
    enum Kind {
        NUMERIC, IDS, SEQUENCES
    }

    /** One model input and the columns it reads. */
    record Binding(String input, Kind kind, List<String> columns, int maxLen, Sequences.Padding padding,
            float[] mean, float[] std) implements Serializable {

        /** The per-row width of the encoded input: F, S or H·T. */
        int width() {
            return kind == Kind.SEQUENCES ? columns.size() * maxLen : columns.size();
        }
    }

    private final List<Binding> bindings;
    private final HashMap<String, HashMap<String, Integer>> vocabularies;
    private final HashMap<String, Integer> oovIds;

    private FeatureSpec(Builder b) {
        this.bindings = List.copyOf(b.bindings);
        this.vocabularies = b.vocabularies;
        this.oovIds = b.oovIds;
    }

    /** A new, empty spec builder. */
    public static Builder builder() {
        return new Builder();
    }

    List<Binding> bindings() {
        return bindings;
    }

    /** The model inputs, in order. */
    public List<String> inputs() {
        return bindings.stream().map(Binding::input).toList();
    }

    /**
     * Checks that this spec feeds a model with {@code inputs} ({@code Variant.inputs}, batch axis 1 first) from
     * a DataFrame of {@code schema}: the same inputs in the same order, the right element type, one column per
     * feature (per behaviour field for sequences), and columns that exist with a type the binding reads.
     *
     * @throws IllegalArgumentException listing what does not fit and what was expected
     */
    public void check(DataDesc[] inputs, StructType schema) {
        List<String> problems = new ArrayList<>();
        if (inputs.length != bindings.size()) {
            problems.add("the model takes " + inputs.length + " inputs " + names(inputs) + ", the spec binds "
                    + bindings.size() + " " + inputs());
        }
        for (int i = 0; i < Math.min(inputs.length, bindings.size()); i++) {
            Binding b = bindings.get(i);
            DataDesc d = inputs[i];
            if (d.getName() != null && !d.getName().equals(b.input())) {
                problems.add("model input " + i + " is '" + d.getName() + "', the spec binds '" + b.input()
                        + "' there (inputs are bound in the model's order " + names(inputs) + ")");
            }
            DataType want = b.kind() == Kind.NUMERIC ? DataType.FLOAT32 : DataType.INT64;
            if (d.getDataType() != want) {
                problems.add("model input '" + d.getName() + "' is " + d.getDataType() + ", a " + b.kind()
                        + " binding gives " + want);
            }
            Shape s = d.getShape();
            int rank = b.kind() == Kind.SEQUENCES ? 3 : 2;
            if (s.dimension() != rank) {
                problems.add("model input '" + d.getName() + "' has shape " + s + ", a " + b.kind()
                        + " binding gives rank " + rank);
            } else if (s.get(1) != b.columns().size()) {
                problems.add("model input '" + d.getName() + "' has " + s.get(1)
                        + (b.kind() == Kind.SEQUENCES ? " behaviour fields" : " features") + " (shape " + s
                        + "), the spec binds " + b.columns().size() + " columns " + b.columns());
            }
        }
        Set<String> present = new LinkedHashSet<>(Arrays.asList(schema.fieldNames()));
        for (Binding b : bindings) {
            for (String c : b.columns()) {
                if (!present.contains(c)) {
                    problems.add("column '" + c + "' of input '" + b.input() + "' is not in the DataFrame "
                            + present);
                    continue;
                }
                org.apache.spark.sql.types.DataType t = schema.apply(c).dataType();
                String why = readable(b.kind(), t, vocabularies.containsKey(c));
                if (why != null) {
                    problems.add("column '" + c + "' (" + t.simpleString() + ") of input '" + b.input() + "': "
                            + why);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the feature spec does not fit: " + String.join("; ", problems));
        }
    }

    /** Null if a {@code kind} binding reads a column of type {@code t}, else what it expects. */
    private static String readable(Kind kind, org.apache.spark.sql.types.DataType t, boolean vocabulary) {
        switch (kind) {
            case NUMERIC:
                return t instanceof NumericType ? null : "a numeric binding expects a numeric column";
            case IDS:
                return vocabulary || integral(t) ? null
                        : "an ids binding expects an integer column, or a vocabulary for this column";
            default:
                return t instanceof ArrayType a && (vocabulary || integral(a.elementType())) ? null
                        : "a sequences binding expects an array of integer ids, or a vocabulary for its elements";
        }
    }

    private static boolean integral(org.apache.spark.sql.types.DataType t) {
        return t instanceof IntegerType || t instanceof LongType || t instanceof ShortType || t instanceof ByteType;
    }

    private static List<String> names(DataDesc[] inputs) {
        return Arrays.stream(inputs).map(DataDesc::getName).toList();
    }

    /** The id of {@code value} in column {@code column}: through its vocabulary if it has one. */
    long id(String column, Object value) {
        Map<String, Integer> vocab = vocabularies.get(column);
        if (vocab == null) {
            if (value instanceof Number n) {
                return n.longValue();
            }
            throw new IllegalArgumentException("column '" + column + "' holds " + value.getClass().getSimpleName()
                    + " '" + value + "'; an id column holds integers, or needs a vocabulary");
        }
        Integer id = vocab.get(String.valueOf(value));
        if (id != null) {
            return id;
        }
        int oov = oovIds.get(column);
        if (oov < 0) {
            throw new IllegalArgumentException("value '" + value + "' of column '" + column
                    + "' is not in its closed vocabulary of " + vocab.size() + " values");
        }
        return oov;
    }

    /** Builder; inputs are added in the model's input order. */
    public static final class Builder {

        private final List<Binding> bindings = new ArrayList<>();
        private final HashMap<String, HashMap<String, Integer>> vocabularies = new HashMap<>();
        private final HashMap<String, Integer> oovIds = new HashMap<>();

        private Builder() {}

        /** Binds numeric {@code columns} as they are to the float32 input {@code input} {@code (B, F)}. */
        public Builder numeric(String input, List<String> columns) {
            return add(new Binding(input, Kind.NUMERIC, List.copyOf(columns), 0, null, null, null));
        }

        /**
         * Binds numeric {@code columns} to the float32 input {@code input} {@code (B, F)}, column f standardized
         * as {@code (x - mean[f]) / std[f]} in float32.
         */
        public Builder numeric(String input, List<String> columns, float[] mean, float[] std) {
            if (mean.length != columns.size() || std.length != columns.size()) {
                throw new IllegalArgumentException("standardizing " + columns.size() + " columns needs as many means"
                        + " and stds; got " + mean.length + " and " + std.length);
            }
            for (int f = 0; f < std.length; f++) {
                if (!(std[f] > 0) || !Float.isFinite(mean[f]) || !Float.isFinite(std[f])) {
                    throw new IllegalArgumentException("column '" + columns.get(f) + "': std must be finite and > 0"
                            + " and mean finite; got mean " + mean[f] + ", std " + std[f]);
                }
            }
            return add(new Binding(input, Kind.NUMERIC, List.copyOf(columns), 0, null, mean.clone(), std.clone()));
        }

        /** Binds id {@code columns} (one per categorical field) to the int64 input {@code input} {@code (B, S)}. */
        public Builder ids(String input, List<String> columns) {
            return add(new Binding(input, Kind.IDS, List.copyOf(columns), 0, null, null, null));
        }

        /**
         * Binds array {@code columns} (one per behaviour field, ids oldest first) to the int64 input {@code input}
         * {@code (B, H, T = maxLen)}: the {@code maxLen} most recent ids, padded with 0 on the side {@code padding}.
         */
        public Builder sequences(String input, List<String> columns, int maxLen, Sequences.Padding padding) {
            if (maxLen < 1 || padding == null) {
                throw new IllegalArgumentException("sequences need maxLen >= 1 and a padding side; got " + maxLen
                        + ", " + padding);
            }
            return add(new Binding(input, Kind.SEQUENCES, List.copyOf(columns), maxLen, padding, null, null));
        }

        /**
         * Maps the raw values of {@code column} (compared by their string form) to the ids ({@code >= 0}) of
         * {@code ids}; unseen values get {@code oovId} (a CTR vocabulary's OOV row, or a tabular feature's unknown
         * code, its cardinality), or raise if {@code oovId < 0}.
         */
        public Builder vocabulary(String column, Map<?, Integer> ids, int oovId) {
            HashMap<String, Integer> m = new HashMap<>();
            ids.forEach((k, v) -> {
                if (v == null || v < 0) {
                    throw new IllegalArgumentException("vocabulary of '" + column + "': value '" + k + "' has id "
                            + v + "; ids are >= 0");
                }
                if (m.put(String.valueOf(k), v) != null) {
                    throw new IllegalArgumentException("vocabulary of '" + column + "': two values read as '" + k
                            + "'");
                }
            });
            vocabularies.put(column, m);
            oovIds.put(column, oovId);
            return this;
        }

        /** Maps the raw values of {@code column} through a CTR {@link Vocabulary} (its OOV id if open). */
        public Builder vocabulary(String column, Vocabulary<?> vocabulary) {
            return vocabulary(column, vocabulary.asMap(), vocabulary.oovId());
        }

        private Builder add(Binding b) {
            if (b.input() == null || b.input().isBlank() || b.columns().isEmpty()) {
                throw new IllegalArgumentException("a binding needs an input name and >= 1 column; got '" + b.input()
                        + "' with " + b.columns());
            }
            for (Binding o : bindings) {
                if (o.input().equals(b.input())) {
                    throw new IllegalArgumentException("input '" + b.input() + "' is bound twice");
                }
            }
            bindings.add(b);
            return this;
        }

        /**
         * The spec.
         *
         * @throws IllegalArgumentException if nothing is bound, or a vocabulary names a column no ids or sequences
         *     binding reads
         */
        public FeatureSpec build() {
            if (bindings.isEmpty()) {
                throw new IllegalArgumentException("a feature spec needs >= 1 binding");
            }
            for (String c : vocabularies.keySet()) {
                boolean used = bindings.stream().anyMatch(b -> b.kind() != Kind.NUMERIC && b.columns().contains(c));
                if (!used) {
                    throw new IllegalArgumentException("a vocabulary is given for column '" + c
                            + "', which no ids or sequences binding reads");
                }
            }
            return new FeatureSpec(this);
        }
    }
}
