package io.github.mlpzoo.tabular.mlp;

/**
 * The configuration of {@link Mlp}: {@code nBlocks} blocks of {@code Linear(dBlock) → ReLU → Dropout(dropout)}, then
 * a {@code Linear(dOut)} head, on {@code dIn} input features.
 *
 * @param dIn input features, {@code >= 1}
 * @param dOut outputs (1 for regression, the number of classes for classification), {@code >= 1}
 * @param nBlocks number of hidden blocks, {@code >= 1}
 * @param dBlock width of every hidden block, {@code >= 1}
 * @param dropout dropout rate after each block's ReLU, in {@code [0, 1)}
 */
public record MlpConfig(int dIn, int dOut, int nBlocks, int dBlock, float dropout) {

    public MlpConfig {
        if (dIn < 1) {
            throw new IllegalArgumentException("dIn must be >= 1; got " + dIn);
        }
        if (dOut < 1) {
            throw new IllegalArgumentException("dOut must be >= 1; got " + dOut);
        }
        if (nBlocks < 1) {
            throw new IllegalArgumentException("nBlocks must be >= 1; got " + nBlocks);
        }
        if (dBlock < 1) {
            throw new IllegalArgumentException("dBlock must be >= 1; got " + dBlock);
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1); got " + dropout);
        }
    }

    /**
     * The TabM paper's tuned MLP for California Housing ({@code yandex-research/tabm},
     * {@code paper/exp/mlp/california/0-evaluation/0.toml}): 8 features, 1 output, 2 blocks of 208, dropout
     * 0.17186995 (45,553 parameters).
     */
    public static MlpConfig california() {
        return new MlpConfig(8, 1, 2, 208, 0.17186995074626696f);
    }

    /** The number of trainable parameters of this configuration. */
    public long parameterCount() {
        long n = (long) dIn * dBlock + dBlock;
        n += (long) (nBlocks - 1) * ((long) dBlock * dBlock + dBlock);
        return n + (long) dBlock * dOut + dOut;
    }
}
