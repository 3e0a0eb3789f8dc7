package io.github.mlpzoo.ctr.features;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The id map of one categorical field: id 0 is padding, the distinct values seen in the data the vocabulary is
 * built on get ids 1..V in their natural (sorted) order, and, if the vocabulary is open, every value not seen maps
 * to the out-of-vocabulary id V + 1 (FuxiCTR's {@code __OOV__} row). A closed vocabulary (the MovieLens CTR protocol
 * builds it on all ratings) rejects unseen values. The embedding table needs {@link #rows()} rows.
 *
 * @param <T> the raw value type
 */
public final class Vocabulary<T extends Comparable<T>> {

    /** The padding id of every vocabulary. */
    public static final int PADDING = 0;

    private final String field;
    private final Map<T, Integer> ids = new HashMap<>();
    private final boolean open;

    private Vocabulary(String field, Collection<T> values, boolean open) {
        this.field = field;
        this.open = open;
        int next = 1;
        for (T v : new TreeSet<>(values)) {
            ids.put(v, next++);
        }
    }

    /** A vocabulary of {@code field} over {@code values} (duplicates allowed) with an OOV id for unseen values. */
    public static <T extends Comparable<T>> Vocabulary<T> open(String field, Collection<T> values) {
        return new Vocabulary<>(field, values, true);
    }

    /** A vocabulary of {@code field} over {@code values} that rejects unseen values. */
    public static <T extends Comparable<T>> Vocabulary<T> closed(String field, Collection<T> values) {
        return new Vocabulary<>(field, values, false);
    }

    /** The number of distinct values V. */
    public int size() {
        return ids.size();
    }

    /** Rows of the embedding table: V + 1 (padding), + 1 more if open (OOV). */
    public int rows() {
        return ids.size() + (open ? 2 : 1);
    }

    /** The OOV id V + 1, or -1 for a closed vocabulary. */
    public int oovId() {
        return open ? ids.size() + 1 : -1;
    }

    /**
     * The id of {@code value}: 1..V if seen, else the OOV id.
     *
     * @throws IllegalArgumentException for an unseen value of a closed vocabulary, or null
     */
    public int id(T value) {
        if (value == null) {
            throw new IllegalArgumentException("field '" + field + "': null value; padding is id 0 and not a value");
        }
        Integer id = ids.get(value);
        if (id != null) {
            return id;
        }
        if (open) {
            return oovId();
        }
        throw new IllegalArgumentException("field '" + field + "': value " + value + " is not in its closed vocabulary of "
                + ids.size() + " values");
    }

    /** The ids of {@code values}, in order. */
    public int[] ids(List<T> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = id(values.get(i));
        }
        return out;
    }

    /** The seen values and their ids (unmodifiable). */
    public Map<T, Integer> asMap() {
        return Collections.unmodifiableMap(ids);
    }

    @Override
    public String toString() {
        return "Vocabulary(" + field + ", " + ids.size() + " values, " + (open ? "open" : "closed") + ")";
    }
}
