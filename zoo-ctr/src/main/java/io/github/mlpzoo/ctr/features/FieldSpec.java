package io.github.mlpzoo.ctr.features;

import java.util.List;

/**
 * The names of a CTR model's input columns: the categorical fields (columns of the {@code sparse} input, in order),
 * the behaviour fields (rows of the {@code history} input; each shares the table of the categorical field of the
 * same name without the {@code hist_} prefix, if there is one) and the dense fields. {@link #field} resolves a name
 * and rejects an unknown one with the list of known names, so a misspelt field is never silently dropped.
 *
 * @param sparse categorical field names
 * @param history behaviour sequence field names
 * @param dense dense field names
 */
public record FieldSpec(List<String> sparse, List<String> history, List<String> dense) {

    public FieldSpec {
        sparse = List.copyOf(sparse);
        history = List.copyOf(history);
        dense = List.copyOf(dense);
    }

    /**
     * The column of categorical field {@code name} in the sparse input.
     *
     * @throws IllegalArgumentException naming the unknown field and the known ones
     */
    public int field(String name) {
        int i = sparse.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown field '" + name + "'; the categorical fields are " + sparse);
        }
        return i;
    }

    /** The row of behaviour field {@code name} in the history input; throws for an unknown name. */
    public int historyField(String name) {
        int i = history.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown behaviour field '" + name + "'; the behaviour fields are "
                    + history);
        }
        return i;
    }

    /** For each behaviour field, the column of the categorical field whose table it shares. */
    public int[] sharedWith() {
        int[] out = new int[history.size()];
        for (int h = 0; h < out.length; h++) {
            String n = history.get(h);
            out[h] = field(n.startsWith("hist_") ? n.substring(5) : n);
        }
        return out;
    }
}
