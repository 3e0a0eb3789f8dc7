package io.github.mlpzoo.ctr.din;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;

import java.util.ArrayList;
import java.util.List;

/**
 * Mini-batch aware regularization (Zhou et al., KDD 2018, §4.2, eq. 4-6), which neither the official code nor
 * DeepCTR implements: an L2 penalty on only the embedding rows whose id occurs in the mini-batch, each scaled by
 * the inverse of the id's frequency in the training data,
 * <pre>
 *   L2(W) = λ Σ_j Σ_m (α_mj / n_j) ‖w_j‖²      α_mj = 1 if id j occurs in mini-batch m;  n_j = occurrences of j
 * </pre>
 * whose gradient for batch m is {@code 2λ w_j / n_j} on the rows present (eq. 6). It is applied as that gradient,
 * added after the backward pass and before the optimizer step (a {@link ai.djl.training.listener.TrainingListener}
 * given to {@code Fit.listeners}); the penalty value itself is not added to the reported loss. Padding (id 0) is
 * not a feature and is never penalized. Ids of a history count for the table the history looks up.
 */
public final class MiniBatchAwareRegularization extends TrainingListenerAdapter {

    private final Din din;
    private final float lambda;
    private final long[][] counts;

    /**
     * @param din the model
     * @param lambda λ, &gt; 0
     * @param counts per table of {@link #tables(Din)}, the number of occurrences of each id in the training data
     */
    public MiniBatchAwareRegularization(Din din, float lambda, long[][] counts) {
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

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        NDList data = batchData.getBatch().getData();
        DinConfig c = din.config();
        int s = c.vocab().length;
        long[] sparse = data.get(0).toLongArray();
        Shape hs = data.get(1).getShape();
        long[] history = data.get(1).toLongArray();
        List<Parameter> tables = tables(din);
        float[][] coef = new float[tables.size()][];
        for (int i = 0; i < coef.length; i++) {
            coef[i] = new float[counts[i].length];
        }
        for (int r = 0; r < sparse.length; r++) {
            mark(coef[r % s], counts[r % s], (int) sparse[r]);
        }
        int h = (int) hs.get(1);
        int t = (int) hs.get(2);
        for (int r = 0; r < history.length; r++) {
            int table = historyTable(c, (r / t) % h);
            mark(coef[table], counts[table], (int) history[r]);
        }
        for (int i = 0; i < coef.length; i++) {
            NDArray w = tables.get(i).getArray();
            try (NDArray grad = w.getGradient();
                    NDArray k = w.getManager().create(coef[i], new Shape(coef[i].length, 1));
                    NDArray add = w.mul(k)) {
                grad.addi(add);
            }
        }
    }

    private void mark(float[] coef, long[] count, int id) {
        if (id > 0 && coef[id] == 0f) {
            coef[id] = (float) (2.0 * lambda / Math.max(1, count[id]));
        }
    }
}
