package io.github.mlpzoo.ctr.features;

/**
 * Fixed-length behaviour sequences: a history of any length is truncated to its {@code maxLen} most recent entries
 * (the end of the list) and padded with id 0 to {@code maxLen}, on the left (the MovieLens CTR protocol: most recent
 * last) or on the right (DeepCTR's examples). An empty history is all padding. The models mask padding by id 0, so
 * both paddings give the same output.
 */
public final class Sequences {

    /** Where the padding goes. */
    public enum Padding {
        LEFT, RIGHT
    }

    private Sequences() {}

    /** {@code ids} (oldest first) as a row of {@code maxLen} ids written into {@code out} at {@code offset}. */
    public static void encode(int[] ids, int from, int to, int maxLen, Padding padding, long[] out, int offset) {
        if (maxLen < 1) {
            throw new IllegalArgumentException("maxLen must be >= 1; got " + maxLen);
        }
        int n = Math.min(to - from, maxLen);
        int start = to - n;   // keep the most recent n
        int pad = maxLen - n;
        int dst = offset + (padding == Padding.LEFT ? pad : 0);
        for (int i = 0; i < n; i++) {
            int id = ids[start + i];
            if (id <= 0) {
                throw new IllegalArgumentException("history id " + id + " at position " + (start + i)
                        + " is not a real id (0 is padding, ids are >= 1)");
            }
            out[dst + i] = id;
        }
        int padFrom = offset + (padding == Padding.LEFT ? 0 : n);
        java.util.Arrays.fill(out, padFrom, padFrom + pad, 0L);
    }

    /** {@code ids} as a new row of {@code maxLen}. */
    public static long[] encode(int[] ids, int maxLen, Padding padding) {
        long[] out = new long[maxLen];
        encode(ids, 0, ids.length, maxLen, padding, out, 0);
        return out;
    }
}
