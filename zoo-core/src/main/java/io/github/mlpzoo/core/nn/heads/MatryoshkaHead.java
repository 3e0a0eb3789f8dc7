package io.github.mlpzoo.core.nn.heads;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Matryoshka head (Kusupati et al., <i>Matryoshka Representation Learning</i>, NeurIPS 2022, §3; official
 * {@code RAIVNLab/MRL} {@code MRL.py}, {@code MRL_Linear_Layer}): one linear classifier per nested prefix of the
 * representation,
 * <pre>
 *   logits_i = z[..., :m_i] W_iᵀ + b_i,   i = 1..g,   m_1 &lt; m_2 &lt; ... &lt; m_g = d
 * </pre>
 * trained with {@link MatryoshkaLoss} (the sum of the cross-entropies), so that every prefix of z is a usable
 * representation on its own. With {@code efficient} (MRL-E) there is a single classifier on m_g whose weight columns
 * are sliced: {@code logits_i = z[..., :m_i] W[:, :m_i]ᵀ + b}. Shapes: input {@code (B, d)}, outputs g arrays
 * {@code (B, C)}, coarsest first. Children {@code classifier} (official {@code nesting_classifier_i}), PyTorch's
 * default Linear init.
 */
public final class MatryoshkaHead extends DescribedBlock {

    private static final byte VERSION = 1;

    private final int[] nesting;
    private final int classes;
    private final boolean efficient;
    private final List<Linear> classifiers = new ArrayList<>();

    /**
     * Classifiers to {@code classes} on the prefixes {@code nesting} (strictly increasing; the last is the input
     * width), one shared classifier if {@code efficient}.
     */
    public MatryoshkaHead(int[] nesting, int classes, boolean efficient) {
        super(VERSION);
        if (nesting == null || nesting.length == 0 || classes < 1) {
            throw new IllegalArgumentException("MatryoshkaHead needs at least one nesting size and classes >= 1; got "
                    + Arrays.toString(nesting) + ", " + classes);
        }
        for (int i = 0; i < nesting.length; i++) {
            if (nesting[i] < 1 || i > 0 && nesting[i] <= nesting[i - 1]) {
                throw new IllegalArgumentException("MatryoshkaHead nesting sizes must be >= 1 and strictly increasing;"
                        + " got " + Arrays.toString(nesting));
            }
        }
        this.nesting = nesting.clone();
        this.classes = classes;
        this.efficient = efficient;
        for (int i = 0; i < (efficient ? 1 : nesting.length); i++) {
            classifiers.add(addChildBlock("classifier", TorchInit.apply(Linear.builder().setUnits(classes).build())));
        }
    }

    /** The nested widths m_1..m_g. */
    public int[] nesting() {
        return nesting.clone();
    }

    private int width() {
        return nesting[nesting.length - 1];
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("MatryoshkaHead", inputs, 1);
        NDArray z = inputs.singletonOrThrow();
        InputCheck.shape("MatryoshkaHead", "input (B, d)", z, InputCheck.ANY, width());
        NDList out = new NDList();
        if (!efficient) {
            for (int i = 0; i < nesting.length; i++) {
                NDArray prefix = z.get(new NDIndex(":, 0:{}", nesting[i])); // (B, m_i)
                out.add(classifiers.get(i).forward(ps, new NDList(prefix), training).singletonOrThrow());
            }
            return out;
        }
        Linear shared = classifiers.get(0);
        NDManager mgr = z.getManager();
        NDArray w = null;
        NDArray b = null;
        for (Parameter p : shared.getDirectParameters().values()) {
            if (p.getType() == Parameter.Type.WEIGHT) {
                w = ps.getValue(p, z.getDevice(), training);
            } else {
                b = ps.getValue(p, z.getDevice(), training);
            }
        }
        for (int m : nesting) {
            NDArray wm = w.get(new NDIndex(":, 0:{}", m)); // (C, m), moved off the parameter's manager
            wm.attach(mgr);
            out.add(z.get(new NDIndex(":, 0:{}", m)).matMul(wm.transpose()).add(b));
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        InputCheck.shape("MatryoshkaHead", "input (B, d)", inputShapes[0], InputCheck.ANY, width());
        Shape[] out = new Shape[nesting.length];
        Arrays.fill(out, new Shape(inputShapes[0].get(0), classes));
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        InputCheck.shape("MatryoshkaHead", "input (B, d)", inputShapes[0], InputCheck.ANY, width());
        long b = inputShapes[0].get(0);
        for (int i = 0; i < classifiers.size(); i++) {
            classifiers.get(i).initialize(manager, dataType, new Shape(b, efficient ? width() : nesting[i]));
        }
    }

    @Override
    public String toString() {
        return "MatryoshkaHead(" + Arrays.toString(nesting) + " -> " + classes + (efficient ? ", MRL-E" : "") + ")";
    }
}
