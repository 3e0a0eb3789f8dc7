package io.github.mlpzoo.core.nn.patch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.nn.InputCheck;

import java.util.Arrays;

/**
 * Masked-patch pretraining's input masking (PatchTST, Nie et al., ICLR 2023, §3.3; HF
 * {@code modeling_patchtst.py} {@code random_masking} / {@code forecast_masking}, which PatchTSMixer copies):
 * <pre>
 *   patches (B, C, N, P) → masked (B, C, N, P) with masked patches set to {@code maskValue}, mask (B, C, N) in {0, 1}
 * </pre>
 * <ul>
 *   <li>{@link Type#RANDOM}: in every (sample, channel) row exactly {@code N - ⌊N·(1 - ratio)⌋} patches are masked,
 *       chosen uniformly (HF: rank of uniform noise ≥ ⌊N·(1 - ratio)⌋); with {@code channelConsistentMasking} the same
 *       patches in every channel of a sample.</li>
 *   <li>{@link Type#FORECAST}: the last K patches are masked; with several K the batch is split in equal shares
 *       (the remainder to the share HF's sort puts first), and the samples are then shuffled.</li>
 * </ul>
 * Channels listed in {@code unmaskedChannels} are never masked. Random draws come from the engine's generator
 * ({@code Engine.setRandomSeed}), so they are reproducible in Java but not equal to torch's draws.
 *
 * @param maskType RANDOM or FORECAST [mask_type]
 * @param randomMaskRatio the fraction masked in RANDOM, in [0, 1) [random_mask_ratio]
 * @param forecastMaskPatches the K values of FORECAST, each in [1, N) [num_forecast_mask_patches]
 * @param channelConsistentMasking the same random mask in every channel [channel_consistent_masking]
 * @param unmaskedChannels channel indices never masked [unmasked_channel_indices]
 * @param maskValue the value written into masked patches [mask_value]
 */
public record PatchMasking(Type maskType, float randomMaskRatio, int[] forecastMaskPatches,
        boolean channelConsistentMasking, int[] unmaskedChannels, float maskValue) {

    /** How patches are chosen. */
    public enum Type {
        /** A random fraction of patches. */
        RANDOM,
        /** The last K patches. */
        FORECAST
    }

    public PatchMasking {
        if (maskType == null) {
            throw new IllegalArgumentException("maskType must be RANDOM or FORECAST; got null");
        }
        if (!(randomMaskRatio >= 0f && randomMaskRatio < 1f)) {
            throw new IllegalArgumentException("randomMaskRatio must be in [0, 1); got " + randomMaskRatio);
        }
        forecastMaskPatches = forecastMaskPatches == null ? new int[0] : forecastMaskPatches.clone();
        unmaskedChannels = unmaskedChannels == null ? new int[0] : unmaskedChannels.clone();
        if (maskType == Type.FORECAST && forecastMaskPatches.length == 0) {
            throw new IllegalArgumentException("forecast masking needs at least one number of patches to mask");
        }
        for (int c : unmaskedChannels) {
            if (c < 0) {
                throw new IllegalArgumentException("unmasked channel indices must be >= 0; got "
                        + Arrays.toString(unmaskedChannels));
            }
        }
        if (!Float.isFinite(maskValue)) {
            throw new IllegalArgumentException("mask value must be finite; got " + maskValue);
        }
    }

    /** Checks this masking against N patches and C channels. */
    public void check(long numPatches, long channels) {
        if (maskType == Type.FORECAST) {
            for (int k : forecastMaskPatches) {
                if (k <= 0 || k >= numPatches) {
                    throw new IllegalArgumentException(String.format("forecast masking: each number of masked "
                            + "patches must be in [1, %d) (N = %d patches); got %s", numPatches, numPatches,
                            Arrays.toString(forecastMaskPatches)));
                }
            }
        }
        for (int c : unmaskedChannels) {
            if (c >= channels) {
                throw new IllegalArgumentException(String.format("unmasked channel index %d is out of range for %d "
                        + "channels", c, channels));
            }
        }
    }

    /** The masked patches and the mask (1 = masked), as {@code NDList(masked (B, C, N, P), mask (B, C, N))}. */
    public NDList apply(NDArray patches) {
        InputCheck.shape("PatchMasking", "patches (B, C, N, P)", patches, InputCheck.ANY, InputCheck.ANY,
                InputCheck.ANY, InputCheck.ANY);
        Shape s = patches.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long n = s.get(2);
        check(n, c);
        NDManager m = patches.getManager();
        NDArray mask = maskType == Type.RANDOM ? random(m, b, c, n) : forecast(m, b, c, n);
        if (unmaskedChannels.length > 0) {
            float[] keep = new float[(int) c];
            Arrays.fill(keep, 1f);
            for (int ch : unmaskedChannels) {
                keep[ch] = 0f;
            }
            mask = mask.mul(m.create(keep).reshape(1, c, 1));
        }
        mask = mask.toType(patches.getDataType(), false);
        NDArray m4 = mask.expandDims(3);                                          // (B, C, N, 1)
        NDArray masked = patches.mul(m4.neg().add(1f));                           // masked_fill(mask, value)
        if (maskValue != 0f) {
            masked = masked.add(m4.mul(maskValue));
        }
        return new NDList(masked, mask);
    }

    private NDArray random(NDManager m, long b, long c, long n) {
        long keep = (long) (n * (1.0 - randomMaskRatio)); // HF: int(sequence_length * (1 - mask_ratio))
        NDArray noise = m.randomUniform(0f, 1f, new Shape(b, channelConsistentMasking ? 1 : c, n));
        NDArray rank = noise.argSort(-1).argSort(-1);                     // position → its rank in the noise
        NDArray mask = rank.gte(keep).toType(DataType.FLOAT32, false);
        return channelConsistentMasking ? mask.repeat(1, c) : mask;
    }

    private NDArray forecast(NDManager m, long b, long c, long n) {
        // HF: equal shares of the batch per K (int(b / #K) each); the remainder goes to the share sorted first by
        // size, which after the stable sort on equal sizes is the first K listed
        int groups = forecastMaskPatches.length;
        long[] share = new long[groups];
        long total = 0;
        for (int i = 0; i < groups; i++) {
            share[i] = b / groups;
            total += share[i];
        }
        share[0] += b - total;
        float[] k = new float[(int) b];
        int at = 0;
        for (int i = 0; i < groups; i++) {
            for (long j = 0; j < share[i]; j++) {
                k[at++] = forecastMaskPatches[i];
            }
        }
        NDArray perK = m.create(k);
        if (groups > 1) {
            perK = perK.get(new NDIndex("{}", m.randomUniform(0f, 1f, new Shape(b)).argSort()));
        }
        NDArray position = m.arange(0f, (float) n).reshape(1, 1, n);
        NDArray first = perK.neg().add(n).reshape(b, 1, 1);                // n - K: the first masked patch
        return position.gte(first).toType(DataType.FLOAT32, false).repeat(1, c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatchMasking p && p.maskType == maskType
                && Float.compare(p.randomMaskRatio, randomMaskRatio) == 0
                && Arrays.equals(p.forecastMaskPatches, forecastMaskPatches)
                && p.channelConsistentMasking == channelConsistentMasking
                && Arrays.equals(p.unmaskedChannels, unmaskedChannels) && Float.compare(p.maskValue, maskValue) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new Object[] {maskType, randomMaskRatio, Arrays.hashCode(forecastMaskPatches),
                channelConsistentMasking, Arrays.hashCode(unmaskedChannels), maskValue});
    }

    @Override
    public String toString() {
        return "PatchMasking[" + maskType + ", randomMaskRatio " + randomMaskRatio + ", forecastMaskPatches "
                + Arrays.toString(forecastMaskPatches)
                + ", channelConsistentMasking " + channelConsistentMasking + ", unmaskedChannels "
                + Arrays.toString(unmaskedChannels) + ", maskValue " + maskValue + "]";
    }
}
