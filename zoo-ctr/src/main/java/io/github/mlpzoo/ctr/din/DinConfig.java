package io.github.mlpzoo.ctr.din;

import io.github.mlpzoo.core.zoo.TrainingOnly;

import java.util.Arrays;

/**
 * The configuration of {@link Din}.
 *
 * @param fieldNames comma-separated names of the categorical fields (DeepCTR's feature names, used by the key map
 *     and to resolve fields by name); a behaviour field is named {@code hist_<field>}
 * @param vocab table rows of each categorical field (column of the {@code sparse} input), padding row included
 * @param behaviourFields the fields that have a behaviour sequence (row h of the {@code history} input is the
 *     history of field {@code behaviourFields[h]}); the query is the concatenation of these fields' embeddings
 * @param shareHistoryTables whether histories use their field's table (DeepCTR {@code embedding_name}) or their own
 * @param denseFeatures dense inputs appended to the DNN input (0 = no dense input)
 * @param embeddingDim embedding width E of every table
 * @param maxLen the declared history length T (the block accepts any T)
 * @param pooling how the history is pooled: DIN's attention, or the base model's sum / mean
 * @param attentionUnits hidden widths of the local activation unit (Dice)
 * @param attentionSoftmax softmax-normalized attention weights (the official code) or not (the paper, DeepCTR)
 * @param dnnUnits hidden widths of the ReLU DNN tower
 * @param dropout dropout after each DNN hidden layer
 * @param initStd std of the N(0, std) init of embeddings and DNN weights (DeepCTR's {@code init_std})
 * @param mbaLambda the mini-batch aware regularization strength λ for training (0 = off); the block ignores it,
 *     the training task applies {@link MiniBatchAwareRegularization}
 */
public record DinConfig(String fieldNames, int[] vocab, int[] behaviourFields, boolean shareHistoryTables, int denseFeatures,
        int embeddingDim, int maxLen, Pooling pooling, int[] attentionUnits, boolean attentionSoftmax, int[] dnnUnits,
        float dropout, @TrainingOnly float initStd, @TrainingOnly float mbaLambda) {

    /** History pooling. */
    public enum Pooling {
        /** DIN's attention pooling. */
        ATTENTION,
        /** Sum pooling: the Embedding&amp;MLP base model of the paper (DeepCTR {@code combiner='sum'}). */
        SUM,
        /** Mean over the real entries (DeepCTR {@code combiner='mean'}). */
        MEAN
    }

    public DinConfig {
        vocab = vocab.clone();
        if (fieldNames == null || fieldNames.isBlank() || fieldNames.split(",").length != vocab.length) {
            throw new IllegalArgumentException("fieldNames needs one comma-separated name per vocab entry ("
                    + vocab.length + "); got '" + fieldNames + "'");
        }
        behaviourFields = behaviourFields.clone();
        attentionUnits = attentionUnits.clone();
        dnnUnits = dnnUnits.clone();
        if (vocab.length == 0 || Arrays.stream(vocab).anyMatch(v -> v < 2)) {
            throw new IllegalArgumentException("vocab needs >= 1 field, each with >= 2 rows (padding + 1); got "
                    + Arrays.toString(vocab));
        }
        final int nFields = vocab.length;
        if (behaviourFields.length == 0
                || Arrays.stream(behaviourFields).anyMatch(f -> f < 0 || f >= nFields)) {
            throw new IllegalArgumentException("behaviourFields needs >= 1 field index in [0, " + vocab.length
                    + "); got " + Arrays.toString(behaviourFields));
        }
        if (denseFeatures < 0 || embeddingDim < 1 || maxLen < 1) {
            throw new IllegalArgumentException("denseFeatures >= 0, embeddingDim >= 1 and maxLen >= 1 required; got "
                    + denseFeatures + ", " + embeddingDim + ", " + maxLen);
        }
        if (pooling == null) {
            throw new IllegalArgumentException("pooling must be ATTENTION, SUM or MEAN");
        }
        if (pooling == Pooling.ATTENTION && attentionUnits.length == 0) {
            throw new IllegalArgumentException("attention pooling needs >= 1 attentionUnits");
        }
        if (dnnUnits.length == 0 || Arrays.stream(dnnUnits).anyMatch(u -> u < 1)
                || Arrays.stream(attentionUnits).anyMatch(u -> u < 1)) {
            throw new IllegalArgumentException("dnnUnits needs >= 1 width and every width must be >= 1; got dnnUnits "
                    + Arrays.toString(dnnUnits) + ", attentionUnits " + Arrays.toString(attentionUnits));
        }
        if (!(dropout >= 0f && dropout < 1f) || !(initStd > 0f) || !(mbaLambda >= 0f)) {
            throw new IllegalArgumentException("dropout in [0, 1), initStd > 0 and mbaLambda >= 0 required; got "
                    + dropout + ", " + initStd + ", " + mbaLambda);
        }
    }

    /**
     * DIN on MovieLens under {@code CTR_PROTOCOL.md} §5: DeepCTR-Torch's defaults ({@code att_hidden_size=(64,16)},
     * Dice, no softmax, {@code dnn_hidden_units=(256,128)}, {@code init_std=1e-4}) on user (611), movie (9,725) and
     * first genre (20), embedding 16, histories of movie and genre of length 50 sharing their tables. 229,010
     * parameters.
     */
    public static DinConfig movielens() {
        return new DinConfig("user_id,movie_id,genre_id", new int[] {611, 9725, 20}, new int[] {1, 2}, true, 0, 16, 50, Pooling.ATTENTION,
                new int[] {64, 16}, false, new int[] {256, 128}, 0f, 1e-4f, 0f);
    }

    /** The base model: {@link #movielens()} with sum-pooled histories (DeepCTR {@code WDL}, deep part). 219,457 parameters. */
    public static DinConfig movielensBase() {
        return movielens().withPooling(Pooling.SUM);
    }

    /** The categorical field names, in column order. */
    public String[] names() {
        return Arrays.stream(fieldNames.split(",")).map(String::trim).toArray(String[]::new);
    }

    /** This config with {@code pooling} changed. */
    public DinConfig withPooling(Pooling p) {
        return new DinConfig(fieldNames, vocab, behaviourFields, shareHistoryTables, denseFeatures, embeddingDim, maxLen, p,
                attentionUnits, attentionSoftmax, dnnUnits, dropout, initStd, mbaLambda);
    }

    /** This config with {@code mbaLambda} changed. */
    public DinConfig withMbaLambda(float lambda) {
        return new DinConfig(fieldNames, vocab, behaviourFields, shareHistoryTables, denseFeatures, embeddingDim, maxLen, pooling,
                attentionUnits, attentionSoftmax, dnnUnits, dropout, initStd, lambda);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DinConfig c && fieldNames.equals(c.fieldNames) && Arrays.equals(vocab, c.vocab)
                && Arrays.equals(behaviourFields, c.behaviourFields) && shareHistoryTables == c.shareHistoryTables
                && denseFeatures == c.denseFeatures && embeddingDim == c.embeddingDim && maxLen == c.maxLen
                && pooling == c.pooling && Arrays.equals(attentionUnits, c.attentionUnits)
                && attentionSoftmax == c.attentionSoftmax && Arrays.equals(dnnUnits, c.dnnUnits)
                && dropout == c.dropout && initStd == c.initStd && mbaLambda == c.mbaLambda;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(vocab) * 31 + Arrays.hashCode(dnnUnits) + pooling.hashCode();
    }

    @Override
    public String toString() {
        return "DinConfig[fieldNames=" + fieldNames + ", vocab=" + Arrays.toString(vocab) + ", behaviourFields=" + Arrays.toString(behaviourFields)
                + ", shareHistoryTables=" + shareHistoryTables + ", denseFeatures=" + denseFeatures + ", embeddingDim="
                + embeddingDim + ", maxLen=" + maxLen + ", pooling=" + pooling + ", attentionUnits="
                + Arrays.toString(attentionUnits) + ", attentionSoftmax=" + attentionSoftmax + ", dnnUnits="
                + Arrays.toString(dnnUnits) + ", dropout=" + dropout + ", initStd=" + initStd + ", mbaLambda="
                + mbaLambda + "]";
    }
}
