package io.github.mlpzoo.timeseries.patchtsmixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;

/**
 * The online hierarchical patch reconciliation head of TSMixer (Ekambaram et al., KDD 2023, §4.3), not in Hugging
 * Face's PatchTSMixer ({@code granite-tsfm} issue 87), written from the paper. The horizon H is cut into H/P
 * patches of the input patch length P; besides the base forecast the head predicts each patch's aggregate (the sum
 * of its P values) from the flattened backbone embedding, then reconciles the base forecast with it:
 * <pre>
 *   ĥ    = Linear(N·d → H/P)(e)                 (B, C, H/P)   aggregated forecast, e = flattened embedding (B, C, N·d)
 *   ŷrec = Linear(H + H/P → H)([ŷ, ĥ])          (B, C, H)     ŷ = the base forecast (B, C, H)
 * </pre>
 * Inputs {@code [e (B, C, N·d), ŷ (B, C, H)]}; outputs {@code [ŷrec (B, C, H), ĥ (B, C, H/P)]}, in the scaled space.
 * Training adds the aggregate's error and the hierarchy's consistency to the forecast error
 * ({@link HierarchicalLoss}). PyTorch's default init; children {@code aggregate}, {@code reconcile}.
 */
public final class HierarchicalReconciliation extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    private final int embedding;
    private final int horizon;
    private final int patch;
    private final Linear aggregate;
    private final Linear reconcile;

    /** The head on embeddings of size N·d for a horizon of {@code horizon} steps cut into patches of {@code patch}. */
    public HierarchicalReconciliation(int embedding, int horizon, int patch) {
        super(VERSION);
        if (embedding < 1 || horizon < 1 || patch < 1 || horizon % patch != 0) {
            throw new IllegalArgumentException("HierarchicalReconciliation needs sizes >= 1 and the horizon a multiple "
                    + "of the patch length; got embedding " + embedding + ", horizon " + horizon + ", patch " + patch);
        }
        this.embedding = embedding;
        this.horizon = horizon;
        this.patch = patch;
        aggregate = addChildBlock("aggregate", TorchInit.apply(Linear.builder().setUnits(horizon / patch).build()));
        reconcile = addChildBlock("reconcile", TorchInit.apply(Linear.builder().setUnits(horizon).build()));
    }

    /** Trainable parameters for an embedding of size N·d, horizon H and patch length P. */
    public static long parameterCount(long embedding, int horizon, int patch) {
        long a = horizon / patch;
        return embedding * a + a + (horizon + a) * horizon + horizon;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("HierarchicalReconciliation", inputs, 2);
        NDArray e = inputs.get(0);
        NDArray y = inputs.get(1);
        check(e.getShape(), y.getShape());
        NDArray h = aggregate.forward(ps, new NDList(e), training).singletonOrThrow();           // (B, C, H/P)
        NDArray rec = reconcile.forward(ps, new NDList(NDArrays.concat(new NDList(y, h), 2)), training)
                .singletonOrThrow();                                                             // (B, C, H)
        return new NDList(rec, h);
    }

    private void check(Shape e, Shape y) {
        InputCheck.shape("HierarchicalReconciliation", "embedding (B, C, N·d)", e, InputCheck.ANY, InputCheck.ANY,
                embedding);
        InputCheck.shape("HierarchicalReconciliation", "base forecast (B, C, H)", y, e.get(0), e.get(1), horizon);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0], inputShapes[1]);
        Shape y = inputShapes[1];
        return new Shape[] {y, new Shape(y.get(0), y.get(1), horizon / patch)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0], inputShapes[1]);
        Shape y = inputShapes[1];
        aggregate.initialize(manager, dataType, inputShapes[0]);
        reconcile.initialize(manager, dataType, new Shape(y.get(0), y.get(1), horizon + horizon / patch));
    }

    @Override
    public String toString() {
        return "HierarchicalReconciliation(embedding " + embedding + ", horizon " + horizon + ", patch " + patch + ")";
    }
}
