package io.github.mlpzoo.ctr.finalmlp;

import java.util.Arrays;

/**
 * The configuration of {@link DualMlp} (FuxiCTR {@code DualMLP}); the fields mean what they mean in
 * {@link FinalMlpConfig}.
 *
 * @param fieldNames comma-separated categorical field names
 * @param vocab table rows per categorical field
 * @param historyFields fields with a mean-pooled behaviour sequence sharing their table
 * @param maxLen the declared history length
 * @param embeddingDim embedding width d
 * @param mlp1Units hidden widths of MLP 1 (ReLU, then Linear(1))
 * @param mlp2Units hidden widths of MLP 2
 * @param batchNorm1 BatchNorm in MLP 1
 * @param batchNorm2 BatchNorm in MLP 2
 * @param dropout1 dropout in MLP 1
 * @param dropout2 dropout in MLP 2
 */
public record DualMlpConfig(String fieldNames, int[] vocab, int[] historyFields, int maxLen, int embeddingDim,
        int[] mlp1Units, int[] mlp2Units, boolean batchNorm1, boolean batchNorm2, float dropout1, float dropout2) {

    public DualMlpConfig {
        vocab = vocab.clone();
        historyFields = historyFields.clone();
        mlp1Units = mlp1Units.clone();
        mlp2Units = mlp2Units.clone();
        validate(fieldNames, vocab, historyFields, maxLen, embeddingDim, mlp1Units, mlp2Units, dropout1, dropout2);
    }

    static void validate(String fieldNames, int[] vocab, int[] historyFields, int maxLen, int embeddingDim,
            int[] mlp1Units, int[] mlp2Units, float dropout1, float dropout2) {
        if (vocab.length == 0 || Arrays.stream(vocab).anyMatch(v -> v < 2)) {
            throw new IllegalArgumentException("vocab needs >= 1 field, each with >= 2 rows; got " + Arrays.toString(vocab));
        }
        if (fieldNames == null || fieldNames.split(",").length != vocab.length) {
            throw new IllegalArgumentException("fieldNames needs one comma-separated name per vocab entry ("
                    + vocab.length + "); got '" + fieldNames + "'");
        }
        if (Arrays.stream(historyFields).anyMatch(f -> f < 0 || f >= vocab.length)) {
            throw new IllegalArgumentException("historyFields need field indices in [0, " + vocab.length + "); got "
                    + Arrays.toString(historyFields));
        }
        if (maxLen < 1 || embeddingDim < 1) {
            throw new IllegalArgumentException("maxLen and embeddingDim must be >= 1; got " + maxLen + ", " + embeddingDim);
        }
        if (Arrays.stream(mlp1Units).anyMatch(u -> u < 1) || Arrays.stream(mlp2Units).anyMatch(u -> u < 1)) {
            throw new IllegalArgumentException("MLP widths must be >= 1; got " + Arrays.toString(mlp1Units) + ", "
                    + Arrays.toString(mlp2Units));
        }
        if (!(dropout1 >= 0f && dropout1 < 1f) || !(dropout2 >= 0f && dropout2 < 1f)) {
            throw new IllegalArgumentException("dropouts must be in [0, 1); got " + dropout1 + ", " + dropout2);
        }
    }

    /**
     * DualMLP on MovieLens under {@code CTR_PROTOCOL.md} §5: FuxiCTR's {@code DualMLP_default} widths (mlp1 [64, 32],
     * mlp2 [64, 64, 64]), embedding 16, the same five fields as FinalMLP. 186,562 parameters.
     */
    public static DualMlpConfig movielens() {
        return new DualMlpConfig("user_id,movie_id,genre_id", new int[] {611, 9725, 20}, new int[] {1, 2}, 50, 16,
                new int[] {64, 32}, new int[] {64, 64, 64}, false, false, 0f, 0f);
    }

    /** The categorical field names, in column order. */
    public String[] names() {
        return fieldNames.split(",");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DualMlpConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "DualMlpConfig[fieldNames=" + fieldNames + ", vocab=" + Arrays.toString(vocab) + ", historyFields="
                + Arrays.toString(historyFields) + ", maxLen=" + maxLen + ", embeddingDim=" + embeddingDim
                + ", mlp1Units=" + Arrays.toString(mlp1Units) + ", mlp2Units=" + Arrays.toString(mlp2Units)
                + ", batchNorm1=" + batchNorm1 + ", batchNorm2=" + batchNorm2 + ", dropout1=" + dropout1
                + ", dropout2=" + dropout2 + "]";
    }
}
