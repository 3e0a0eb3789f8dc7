package io.github.mlpzoo.core.nn.ctr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.ops.Scalars;

import java.util.Arrays;

/**
 * FinalMLP's stream-specific feature selection (Mao et al., <i>FinalMLP: An Enhanced Two-Stream MLP Model for CTR
 * Prediction</i>, AAAI 2023, §3.2, eq. 4; FuxiCTR {@code model_zoo/FinalMLP/src/FinalMLP.py}, class
 * {@code FeatureSelection}, one of its two gates):
 * <pre>
 *   g = 2 · sigmoid(MLP(c)),   y = x ⊙ g        MLP: hidden ReLU layers, then Linear(D), xavier_normal, zero bias
 * </pre>
 * Inputs: {@code x (B, D)} (the flat field embeddings) and, when {@code contextDim > 0}, the context embedding
 * {@code c (B, contextDim)}; with {@code contextDim = 0} the context is a learned bias {@code ctxBias (1, d)},
 * initialized to 0, as FuxiCTR's {@code fs*_ctx_bias} (the same gate for every row). Output {@code y (B, D)}.
 * Parameters: {@code ctxBias} (only without context), child {@code 01gate} ({@link Tower}).
 */
public final class FeatureSelectionGate extends DescribedBlock {

    private static final byte VERSION = 1;

    private final int featureDim;
    private final int contextDim;
    private final int biasDim;
    private final int[] hidden;
    private final Parameter ctxBias;
    private final Tower gate;

    /**
     * A gate over {@code featureDim} features from a context of {@code contextDim} values, or from a learned bias of
     * {@code biasDim} values when {@code contextDim == 0} (FuxiCTR: the embedding dimension).
     */
    public FeatureSelectionGate(int featureDim, int contextDim, int biasDim, int[] hidden) {
        super(VERSION);
        if (featureDim < 1 || contextDim < 0 || (contextDim == 0 && biasDim < 1)) {
            throw new IllegalArgumentException("FeatureSelectionGate needs featureDim >= 1 and contextDim >= 1 or biasDim"
                    + " >= 1; got " + featureDim + ", " + contextDim + ", " + biasDim);
        }
        this.featureDim = featureDim;
        this.contextDim = contextDim;
        this.biasDim = biasDim;
        this.hidden = hidden.clone();
        ctxBias = contextDim == 0
                ? addParameter(Parameter.builder().setName("ctxBias").setType(Parameter.Type.OTHER)
                        .optInitializer((m, s, t) -> m.zeros(s, t)).optShape(new Shape(1, biasDim)).build())
                : null;
        gate = addChildBlock("gate", Tower.builder().setHidden(hidden).optActivation(Tower.Act.RELU)
                .optOutput(featureDim, true, Tower.Act.SIGMOID).optInit(LinearInit.XAVIER_NORMAL, 0f).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("FeatureSelectionGate", inputs, contextDim == 0 ? 1 : 2);
        NDArray x = inputs.get(0);
        check(inputs.getShapes());
        // the bias is added to zeros of the input's manager so that the gate's arrays do not land in the parameter's
        NDArray c = contextDim == 0
                ? x.getManager().zeros(new Shape(1, biasDim)).add(ps.getValue(ctxBias, x.getDevice(), training))
                : inputs.get(1);
        NDArray g = gate.forward(ps, new NDList(c), training).singletonOrThrow();   // (B or 1, D)
        return new NDList(x.mul(Scalars.mul(g, 2)));
    }

    private void check(Shape[] shapes) {
        InputCheck.shape("FeatureSelectionGate", "features", shapes[0], InputCheck.ANY, featureDim);
        if (contextDim > 0) {
            InputCheck.shape("FeatureSelectionGate", "context", shapes[1], shapes[0].get(0), contextDim);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes);
        gate.initialize(manager, dataType, contextDim == 0 ? new Shape(1, biasDim) : inputShapes[1]);
    }

    @Override
    public String toString() {
        return "FeatureSelectionGate(D=" + featureDim + ", context=" + contextDim + ", bias=" + biasDim + ", hidden="
                + Arrays.toString(hidden) + ")";
    }
}
