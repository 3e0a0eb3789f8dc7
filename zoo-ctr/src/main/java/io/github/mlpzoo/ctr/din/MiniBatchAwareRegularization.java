package io.github.mlpzoo.ctr.din;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.loss.Loss;

import java.util.ArrayList;
import java.util.List;

/**
 * Mini-batch aware regularization (Zhou et al., KDD 2018, §4.2, eq. 4-6), which neither the official code nor
 * DeepCTR implements: an L2 penalty on only the embedding rows whose id occurs in the mini-batch, each scaled by
 * the inverse of the id's frequency in the training data,
 * <pre>
 *   L2(W) = λ Σ_j Σ_m (α_mj / n_j) ‖w_j‖²      α_mj = 1 if id j occurs in mini-batch m;  n_j = occurrences of j
 * </pre>
 * whose gradient for batch m is {@code 2λ w_j / n_j} on the rows present (eq. 6). It is a loss: the mean binary
 * cross-entropy of the logits plus the batch's penalty term, so autograd gives exactly that gradient. The loss needs
 * the batch's ids, so the training labels carry them: {@code labels = (y (B, 1), sparse (B, S), history (B, H, T))}.
 * Padding (id 0) is not a feature and is never penalized. Ids of a history count for the table the history looks up.
 */
public final class MiniBatchAwareRegularization extends Loss {

    private final Din din;
    private final float lambda;
    private final long[][] counts;
    private final Loss bce = Loss.sigmoidBinaryCrossEntropyLoss("bce");

    /**
     * @param din the model
     * @param lambda λ, &gt; 0
     * @param counts per table of {@link #tables(Din)}, the number of occurrences of each id in the training data
     */
    public MiniBatchAwareRegularization(Din din, float lambda, long[][] counts) {
        super("bce+mba");
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("lambda must be > 0; got " + lambda);
        }
        List<Parameter> tables = tables(din);
        if (counts.length != tables.size()) {
            throw new IllegalArgumentException("counts needs one array per table (" + tables.size() + "); got "
                    + counts.length);
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].length != din.config().vocab()[fieldOf(din, i)]) {
                throw new IllegalArgumentException("counts[" + i + "] needs one count per table row ("
                        + din.config().vocab()[fieldOf(din, i)] + "); got " + counts[i].length);
            }
        }
        this.din = din;
        this.lambda = lambda;
        this.counts = counts;
    }

    /** The model's distinct embedding tables: one per field, then one per behaviour field if not shared. */
    public static List<Parameter> tables(Din din) {
        List<Parameter> out = new ArrayList<>();
        int s = din.config().vocab().length;
        for (int i = 0; i < s; i++) {
            out.add(din.embedding().table(i));
        }
        if (!din.config().shareHistoryTables()) {
            for (int h = 0; h < din.config().behaviourFields().length; h++) {
                out.add(din.embedding().historyTable(h));
            }
        }
        return out;
    }

    private static int fieldOf(Din din, int table) {
        int s = din.config().vocab().length;
        return table < s ? table : din.config().behaviourFields()[table - s];
    }

    /** The table each id of the inputs is looked up in: sparse column i → table i, history row h → its table. */
    private static int historyTable(DinConfig c, int h) {
        return c.shareHistoryTables() ? c.behaviourFields()[h] : c.vocab().length + h;
    }

    /**
     * Occurrences of every id per table in training inputs {@code sparse} (N × S, row-major) and {@code history}
     * (N × H × T); padding ids 0 are counted but never used.
     */
    public static long[][] count(DinConfig c, long[] sparse, long[] history, int n, int t) {
        int s = c.vocab().length;
        int hs = c.behaviourFields().length;
        long[][] out = new long[s + (c.shareHistoryTables() ? 0 : hs)][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new long[c.vocab()[i < s ? i : c.behaviourFields()[i - s]]];
        }
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < s; i++) {
                out[i][(int) sparse[r * s + i]]++;
            }
            for (int h = 0; h < hs; h++) {
                long[] tc = out[historyTable(c, h)];
                int base = (r * hs + h) * t;
                for (int k = 0; k < t; k++) {
                    tc[(int) history[base + k]]++;
                }
            }
        }
        return out;
    }

    /**
     * Mean BCE of {@code predictions[0]} (logits) against {@code labels[0]}, plus the penalty of the ids in
     * {@code labels[1]} (sparse) and {@code labels[2]} (history).
     */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        if (labels.size() != 3) {
            throw new IllegalArgumentException("mini-batch aware regularization needs labels (y, sparse ids, history "
                    + "ids); got " + labels.size() + " label array(s)");
        }
        NDArray loss = bce.evaluate(new NDList(labels.get(0)), predictions);
        DinConfig c = din.config();
        int s = c.vocab().length;
        long[] sparse = labels.get(1).toLongArray();
        Shape hs = labels.get(2).getShape();
        long[] history = labels.get(2).toLongArray();
        List<Parameter> tables = tables(din);
        List<java.util.Map<Integer, Float>> present = new ArrayList<>();
        for (int i = 0; i < tables.size(); i++) {
            present.add(new java.util.LinkedHashMap<>());
        }
        for (int r = 0; r < sparse.length; r++) {
            mark(present.get(r % s), counts[r % s], (int) sparse[r]);
        }
        int h = (int) hs.get(1);
        int t = (int) hs.get(2);
        for (int r = 0; r < history.length; r++) {
            int table = historyTable(c, (r / t) % h);
            mark(present.get(table), counts[table], (int) history[r]);
        }
        var m = loss.getManager();
        for (int i = 0; i < tables.size(); i++) {
            java.util.Map<Integer, Float> ids = present.get(i);
            if (ids.isEmpty()) {
                continue;
            }
            long[] idx = ids.keySet().stream().mapToLong(Integer::longValue).toArray();
            float[] coef = new float[idx.length];
            int k = 0;
            for (float v : ids.values()) {
                coef[k++] = v;
            }
            NDArray rows = Embedding.embedding(m.create(idx), tables.get(i).getArray(), SparseFormat.DENSE)
                    .singletonOrThrow();                                                     // (k, E)
            loss = loss.add(rows.square().sum(new int[] {1}).mul(m.create(coef)).sum());
        }
        return loss;
    }

    /** λ / n_j for a real id j seen for the first time in this batch. */
    private void mark(java.util.Map<Integer, Float> present, long[] count, int id) {
        if (id > 0) {
            present.putIfAbsent(id, (float) (lambda / Math.max(1, count[id])));
        }
    }
}
