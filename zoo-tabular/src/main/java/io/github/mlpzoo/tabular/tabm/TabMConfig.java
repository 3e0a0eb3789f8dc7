package io.github.mlpzoo.tabular.tabm;

import io.github.mlpzoo.core.zoo.TrainingOnly;

import java.util.Arrays;

/**
 * The configuration of {@link TabM} ({@code tabm.py} {@code TabM.make} arguments, version 0.0.3).
 *
 * @param arch the architecture: {@code TABM} (BatchEnsemble layers), {@code TABM_MINI} (one non-shared affine at
 *     the start, shared linears), {@code TABM_PACKED} (k independent MLPs)
 * @param nNum numerical features, {@code >= 0}
 * @param catCardinalities cardinalities of the categorical features (one-hot encoded); may be empty
 * @param dOut outputs per member (1 for regression, the number of classes for classification)
 * @param k ensemble size
 * @param nBlocks backbone depth
 * @param dBlock backbone width
 * @param dropout dropout after each block's ReLU, in [0, 1)
 * @param embedding numerical-feature embeddings: {@code NONE}, {@code PIECEWISE_LINEAR} (version "B"),
 *     {@code PERIODIC}
 * @param dEmbedding embedding size per feature (ignored for {@code NONE})
 * @param nBins maximum bins per feature of the piecewise-linear embeddings
 * @param nFrequencies frequencies per feature of the periodic embeddings (official default 48)
 * @param frequencyScale initialization scale σ of the periodic frequencies (official default 0.01)
 * @param shareTrainingBatches {@code share_training_batches}: true (the official default, ours too), every member
 *     trains on the same rows, input (B, …); false (what every tuned run of the paper used), member j of row i trains
 *     on its own row: in training the model takes B·k rows, row {@code i·k + j} for member j, and outputs (B, k, d);
 *     evaluation always takes (B, …). The training tasks draw such batches ({@code IndependentBatchSampler})
 */
public record TabMConfig(Arch arch, int nNum, int[] catCardinalities, int dOut, int k, int nBlocks, int dBlock,
        float dropout, Embedding embedding, int dEmbedding, int nBins, int nFrequencies, @TrainingOnly float frequencyScale,
        boolean shareTrainingBatches) {

    /** The three TabM architectures ({@code arch_type}). */
    public enum Arch {
        TABM("tabm"),
        TABM_MINI("tabm-mini"),
        TABM_PACKED("tabm-packed");

        private final String official;

        Arch(String official) {
            this.official = official;
        }

        /** The official {@code arch_type} string. */
        public String official() {
            return official;
        }
    }

    /** Numerical-feature embeddings ({@code num_embeddings}). */
    public enum Embedding {
        NONE,
        PIECEWISE_LINEAR,
        PERIODIC
    }

    public TabMConfig {
        if (arch == null || embedding == null) {
            throw new IllegalArgumentException("TabMConfig needs arch and embedding");
        }
        catCardinalities = catCardinalities == null ? new int[0] : catCardinalities.clone();
        if (nNum < 0) {
            throw new IllegalArgumentException("nNum must be >= 0; got " + nNum);
        }
        if (nNum == 0 && catCardinalities.length == 0) {
            throw new IllegalArgumentException("TabM needs numerical or categorical features; got neither");
        }
        if (Arrays.stream(catCardinalities).anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("cardinalities must be >= 1; got " + Arrays.toString(catCardinalities));
        }
        if (dOut < 1 || k < 1 || nBlocks < 1 || dBlock < 1) {
            throw new IllegalArgumentException(String.format(
                    "dOut, k, nBlocks, dBlock must be >= 1; got %d, %d, %d, %d", dOut, k, nBlocks, dBlock));
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1); got " + dropout);
        }
        if (embedding != Embedding.NONE) {
            if (nNum == 0) {
                throw new IllegalArgumentException("embedding " + embedding + " needs numerical features (nNum > 0)");
            }
            if (dEmbedding < 1) {
                throw new IllegalArgumentException("dEmbedding must be >= 1; got " + dEmbedding);
            }
        }
        if (embedding == Embedding.PIECEWISE_LINEAR && nBins < 2) {
            throw new IllegalArgumentException("nBins must be >= 2; got " + nBins);
        }
        if (embedding == Embedding.PERIODIC && (nFrequencies < 1 || !(frequencyScale > 0f))) {
            throw new IllegalArgumentException("periodic embeddings need nFrequencies >= 1 and frequencyScale > 0");
        }
    }

    /** A config whose members share training batches (the official default). */
    public TabMConfig(Arch arch, int nNum, int[] catCardinalities, int dOut, int k, int nBlocks, int dBlock,
            float dropout, Embedding embedding, int dEmbedding, int nBins, int nFrequencies, float frequencyScale) {
        this(arch, nNum, catCardinalities, dOut, k, nBlocks, dBlock, dropout, embedding, dEmbedding, nBins,
                nFrequencies, frequencyScale, true);
    }

    /** This config with {@code share_training_batches} set to {@code share}. */
    public TabMConfig withShareTrainingBatches(boolean share) {
        return new TabMConfig(arch, nNum, catCardinalities, dOut, k, nBlocks, dBlock, dropout, embedding, dEmbedding,
                nBins, nFrequencies, frequencyScale, share);
    }

    /**
     * {@code TabM.make} defaults for these data: k = 32, d_block 512, dropout 0.1, 3 blocks (2 with embeddings);
     * piecewise-linear embeddings with d = 16 and 48 bins ({@code compute_bins}' default), periodic with d = 24,
     * 48 frequencies, σ = 0.01 ({@code PeriodicEmbeddings}' defaults).
     */
    public static TabMConfig make(Arch arch, int nNum, int[] cats, int dOut, Embedding embedding) {
        int d = embedding == Embedding.PERIODIC ? 24 : 16;
        return new TabMConfig(arch, nNum, cats, dOut, 32, embedding == Embedding.NONE ? 3 : 2, 512, 0.1f,
                embedding, d, 48, 48, 0.01f);
    }

    /**
     * The paper's tuned California Housing configurations ({@code yandex-research/tabm},
     * {@code paper/exp/<model>/california/0-evaluation/0.toml}; 8 numerical features, 1 output, k = 32):
     * tabm 3×400, dropout 0.2077; tabm-mini 3×304, 0.0861; tabm-packed 4×992, 0; with piecewise-linear
     * embeddings: tabm 3×416, 0.1811, d 20, 47 bins; tabm-mini 3×576, 0.2405, d 16, 30 bins. The paper has no
     * tuned tabm-packed + PLE; that one takes the {@code TabM.make} defaults (2×512, 0.1) with tabm's embeddings.
     */
    public static TabMConfig california(Arch arch, boolean ple) {
        Embedding e = ple ? Embedding.PIECEWISE_LINEAR : Embedding.NONE;
        switch (arch) {
            case TABM:
                return ple ? new TabMConfig(arch, 8, null, 1, 32, 3, 416, 0.18105358774836164f, e, 20, 47, 48, 0.01f)
                        : new TabMConfig(arch, 8, null, 1, 32, 3, 400, 0.20769705860329654f, e, 16, 48, 48, 0.01f);
            case TABM_MINI:
                return ple ? new TabMConfig(arch, 8, null, 1, 32, 3, 576, 0.24050495351031098f, e, 16, 30, 48, 0.01f)
                        : new TabMConfig(arch, 8, null, 1, 32, 3, 304, 0.08610450039004071f, e, 16, 48, 48, 0.01f);
            case TABM_PACKED:
                return ple ? new TabMConfig(arch, 8, null, 1, 32, 2, 512, 0.1f, e, 20, 47, 48, 0.01f)
                        : new TabMConfig(arch, 8, null, 1, 32, 4, 992, 0f, e, 16, 48, 48, 0.01f);
            default:
                throw new IllegalArgumentException("unknown arch " + arch);
        }
    }

    /** Number of model inputs: {@code x_num} if {@code nNum > 0}, then {@code x_cat} if there are categoricals. */
    public int inputCount() {
        return (nNum > 0 ? 1 : 0) + (catCardinalities.length > 0 ? 1 : 0);
    }

    /** The size of each feature's representation (the first adapter's chunks): embedding size or 1, then c_j. */
    public int[] featureSizes() {
        int[] out = new int[nNum + catCardinalities.length];
        Arrays.fill(out, 0, nNum, embedding == Embedding.NONE ? 1 : dEmbedding);
        System.arraycopy(catCardinalities, 0, out, nNum, catCardinalities.length);
        return out;
    }

    /** The flat backbone input width, {@code Σ featureSizes()}. */
    public int dIn() {
        return Arrays.stream(featureSizes()).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TabMConfig c && c.arch == arch && c.nNum == nNum
                && Arrays.equals(c.catCardinalities, catCardinalities) && c.dOut == dOut && c.k == k
                && c.nBlocks == nBlocks && c.dBlock == dBlock && Float.compare(c.dropout, dropout) == 0
                && c.embedding == embedding && c.dEmbedding == dEmbedding && c.nBins == nBins
                && c.nFrequencies == nFrequencies && Float.compare(c.frequencyScale, frequencyScale) == 0
                && c.shareTrainingBatches == shareTrainingBatches;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {arch, nNum, Arrays.hashCode(catCardinalities), dOut, k, nBlocks,
            dBlock, dropout, embedding, dEmbedding, nBins, nFrequencies, frequencyScale, shareTrainingBatches});
    }

    @Override
    public int[] catCardinalities() {
        return catCardinalities.clone();
    }

    @Override
    public String toString() {
        return String.format("TabMConfig[%s, nNum=%d, cat=%s, dOut=%d, k=%d, %dx%d, dropout=%s, %s]", arch.official(),
                nNum, Arrays.toString(catCardinalities), dOut, k, nBlocks, dBlock, dropout,
                embedding == Embedding.NONE ? "no embeddings"
                        : embedding + " d=" + dEmbedding + (embedding == Embedding.PIECEWISE_LINEAR ? " bins=" + nBins
                                : " K=" + nFrequencies + " sigma=" + frequencyScale))
                + (shareTrainingBatches ? "" : " (members train on their own batches)");
    }
}
