package io.github.mlpzoo.ctr.finalmlp;

import java.util.Arrays;

/**
 * The configuration of {@link FinalMlp} (FuxiCTR {@code FinalMLP} arguments of the same names).
 *
 * @param fieldNames comma-separated names of the categorical fields (FuxiCTR feature names, for the key map)
 * @param vocab table rows of each categorical field (column of the {@code sparse} input), padding row included
 * @param historyFields fields with a behaviour sequence (row h of the {@code history} input) sharing their table,
 *     mean-pooled into one more field each (FuxiCTR {@code MaskedAveragePooling}); empty = no history input
 * @param maxLen the declared history length
 * @param embeddingDim embedding width d
 * @param mlp1Units hidden widths of stream 1 (ReLU)
 * @param mlp2Units hidden widths of stream 2 (ReLU)
 * @param batchNorm1 BatchNorm in stream 1
 * @param batchNorm2 BatchNorm in stream 2
 * @param dropout1 dropout in stream 1
 * @param dropout2 dropout in stream 2
 * @param useFs feature selection on
 * @param fsUnits hidden widths of the gates
 * @param fs1Context fields (ascending) whose embeddings (own tables) feed gate 1; empty = learned bias
 * @param fs2Context fields (ascending) for gate 2
 * @param numHeads heads of the bilinear fusion
 */
public record FinalMlpConfig(String fieldNames, int[] vocab, int[] historyFields, int maxLen, int embeddingDim,
        int[] mlp1Units, int[] mlp2Units, boolean batchNorm1, boolean batchNorm2, float dropout1, float dropout2,
        boolean useFs, int[] fsUnits, int[] fs1Context, int[] fs2Context, int numHeads) {

    public FinalMlpConfig {
        vocab = vocab.clone();
        historyFields = historyFields.clone();
        mlp1Units = mlp1Units.clone();
        mlp2Units = mlp2Units.clone();
        fsUnits = fsUnits.clone();
        fs1Context = fs1Context.clone();
        fs2Context = fs2Context.clone();
        DualMlpConfig.validate(fieldNames, vocab, historyFields, maxLen, embeddingDim, mlp1Units, mlp2Units,
                dropout1, dropout2);
        for (int[] ctx : new int[][] {fs1Context, fs2Context}) {
            for (int i = 0; i < ctx.length; i++) {
                if (ctx[i] < 0 || ctx[i] >= vocab.length || (i > 0 && ctx[i] <= ctx[i - 1])) {
                    throw new IllegalArgumentException("fs1Context/fs2Context need ascending field indices in [0, "
                            + vocab.length + "); got " + Arrays.toString(ctx));
                }
            }
        }
        if (mlp1Units.length == 0 || mlp2Units.length == 0 || numHeads < 1
                || mlp1Units[mlp1Units.length - 1] % numHeads != 0 || mlp2Units[mlp2Units.length - 1] % numHeads != 0) {
            throw new IllegalArgumentException("FinalMLP needs non-empty streams whose last widths are divisible by "
                    + "numHeads; got mlp1Units " + Arrays.toString(mlp1Units) + ", mlp2Units "
                    + Arrays.toString(mlp2Units) + ", numHeads " + numHeads);
        }
        if (Arrays.stream(fsUnits).anyMatch(u -> u < 1)) {
            throw new IllegalArgumentException("fsUnits must be >= 1; got " + Arrays.toString(fsUnits));
        }
    }

    /**
     * FinalMLP on MovieLens under {@code CTR_PROTOCOL.md} §5: FuxiCTR's {@code FinalMLP_default} (embedding 16,
     * mlp1 [1024, 512], mlp2 [1024, 512, 256], fs_hidden [1024, 512], empty contexts, 2 heads) on user, movie,
     * genre and the mean-pooled movie and genre histories. 2,745,346 parameters.
     */
    public static FinalMlpConfig movielens() {
        return new FinalMlpConfig("user_id,movie_id,genre_id", new int[] {611, 9725, 20}, new int[] {1, 2}, 50, 16,
                new int[] {1024, 512}, new int[] {1024, 512, 256}, false, false, 0f, 0f, true,
                new int[] {1024, 512}, new int[0], new int[0], 2);
    }

    /** The categorical field names, in column order. */
    public String[] names() {
        return fieldNames.split(",");
    }

    /** Fields of the flat embedding: categorical fields, then one per history. */
    public int numFields() {
        return vocab.length + historyFields.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FinalMlpConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "FinalMlpConfig[fieldNames=" + fieldNames + ", vocab=" + Arrays.toString(vocab) + ", historyFields="
                + Arrays.toString(historyFields) + ", maxLen=" + maxLen + ", embeddingDim=" + embeddingDim
                + ", mlp1Units=" + Arrays.toString(mlp1Units) + ", mlp2Units=" + Arrays.toString(mlp2Units)
                + ", batchNorm1=" + batchNorm1 + ", batchNorm2=" + batchNorm2 + ", dropout1=" + dropout1
                + ", dropout2=" + dropout2 + ", useFs=" + useFs + ", fsUnits=" + Arrays.toString(fsUnits)
                + ", fs1Context=" + Arrays.toString(fs1Context) + ", fs2Context=" + Arrays.toString(fs2Context)
                + ", numHeads=" + numHeads + "]";
    }
}
