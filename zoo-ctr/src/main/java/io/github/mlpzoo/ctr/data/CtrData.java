package io.github.mlpzoo.ctr.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;

import java.util.Arrays;

/**
 * CTR samples in memory, row-major: {@code sparse} (n × S) ids, {@code history} (n × H × T) ids (0 = padding),
 * {@code labels} (n) 0/1, {@code users} (n) the group id for GAUC. The model inputs are {@code sparse (B, S)} and
 * {@code history (B, H, T)} int64.
 *
 * @param fields S
 * @param historyFields H
 * @param maxLen T
 */
public record CtrData(int fields, int historyFields, int maxLen, long[] sparse, long[] history, float[] labels,
        int[] users) {

    public CtrData {
        int n = labels.length;
        if (sparse.length != (long) n * fields || history.length != (long) n * historyFields * maxLen
                || users.length != n) {
            throw new IllegalArgumentException("CtrData arrays disagree with n=" + n + ", S=" + fields + ", H="
                    + historyFields + ", T=" + maxLen);
        }
    }

    /** The number of samples. */
    public int size() {
        return labels.length;
    }

    /** The rows {@code rows}, in that order. */
    public CtrData subset(int[] rows) {
        int ht = historyFields * maxLen;
        long[] s = new long[rows.length * fields];
        long[] h = new long[rows.length * ht];
        float[] y = new float[rows.length];
        int[] u = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            System.arraycopy(sparse, r * fields, s, i * fields, fields);
            System.arraycopy(history, r * ht, h, i * ht, ht);
            y[i] = labels[r];
            u[i] = users[r];
        }
        return new CtrData(fields, historyFields, maxLen, s, h, y, u);
    }

    /** Rows {@code [from, to)} as model inputs on {@code manager}. */
    public NDList inputs(NDManager manager, int from, int to) {
        int n = to - from;
        int ht = historyFields * maxLen;
        NDArray s = manager.create(Arrays.copyOfRange(sparse, from * fields, to * fields), new Shape(n, fields));
        NDArray h = manager.create(Arrays.copyOfRange(history, from * ht, to * ht),
                new Shape(n, historyFields, maxLen));
        return new NDList(s, h);
    }

    /**
     * All rows as a dataset of (sparse, history) → label (n, 1) for {@code Fit.run}; with {@code idsInLabels} the
     * labels also carry (sparse, history), for a loss that needs the batch's ids (mini-batch aware regularization).
     */
    public ArrayDataset dataset(NDManager manager, boolean idsInLabels) {
        NDList x = inputs(manager, 0, size());
        NDArray y = manager.create(labels, new Shape(size(), 1));
        NDArray[] ys = idsInLabels ? new NDArray[] {y, x.get(0), x.get(1)} : new NDArray[] {y};
        return new ArrayDataset.Builder().setData(x.get(0), x.get(1)).optLabels(ys).setSampling(1, false).build();
    }

    /** The positive rate. */
    public double positiveRate() {
        double p = 0;
        for (float v : labels) {
            p += v;
        }
        return p / size();
    }

    /** The number of distinct users. */
    public long distinctUsers() {
        return Arrays.stream(users).distinct().count();
    }

    /** The number of real (non-padding) entries of row {@code r}'s first behaviour field. */
    public int historyLength(int r) {
        int n = 0;
        int base = r * historyFields * maxLen;
        for (int t = 0; t < maxLen; t++) {
            n += history[base + t] != 0 ? 1 : 0;
        }
        return n;
    }
}
