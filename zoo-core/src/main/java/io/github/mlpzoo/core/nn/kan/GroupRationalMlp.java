package io.github.mlpzoo.core.nn.kan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;

/**
 * The GR-KAN channel mixer of KAT (Yang &amp; Wang, ICLR 2025, §4; {@code katransformer.py}, class {@code KAN}): a
 * group-rational activation before each of two linear layers, replacing a ViT's MLP:
 * <pre>
 *   y = fc2( drop( R2( fc1( drop( R1(x) ) ) ) ) )
 * </pre>
 * R1 = {@link GroupRational} on the C inputs initialised as the identity, R2 on the hidden width initialised as
 * {@code init} (swish for the released models). As in the official module both dropouts have the same rate and the
 * first comes <em>after</em> R1 (before fc1). Shapes: input {@code (..., C)}, output {@code (..., out)}. Children in
 * order: {@code fc1}, {@code act1}, {@code act2}, {@code fc2}; official names {@code fc1.*}, {@code act1.weight_*},
 * {@code act2.weight_*}, {@code fc2.*}.
 *
 * <p>Initialization as {@code init_weights_vit_kan_swish}: fc1 and fc2 weights N(0, 0.02) (the official
 * {@code kaiming_normal_} on them is overwritten by the {@code trunc_normal_(std=.02)} that follows), biases zero.
 */
public final class GroupRationalMlp extends DescribedBlock {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field

    private final int in;
    private final int hidden;
    private final int out;
    private final float dropout;
    private final Linear fc1;
    private final GroupRational act1;
    private final GroupRational act2;
    private final Linear fc2;

    /**
     * KAT's {@code KAN(in, hidden, out, drop=dropout, act_init=init)} with {@code groups} rational groups.
     */
    public GroupRationalMlp(int in, int hidden, int out, int groups, GroupRational.Init init, float dropout) {
        super(VERSION);
        if (in < 1 || hidden < 1 || out < 1 || !(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException(String.format(
                    "GroupRationalMlp needs sizes >= 1 and dropout in [0, 1); got in=%d, hidden=%d, out=%d, dropout=%s",
                    in, hidden, out, dropout));
        }
        this.in = in;
        this.hidden = hidden;
        this.out = out;
        this.dropout = dropout;
        fc1 = addChildBlock("fc1", vitLinear(hidden));
        act1 = addChildBlock("act1", new GroupRational(in, groups, GroupRational.Init.IDENTITY));
        act2 = addChildBlock("act2", new GroupRational(hidden, groups, init));
        fc2 = addChildBlock("fc2", vitLinear(out));
    }

    private static Linear vitLinear(int units) {
        Linear l = Linear.builder().setUnits(units).build();
        l.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
        l.setInitializer(new ConstantInitializer(0f), Parameter.Type.BIAS);
        return l;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("GroupRationalMlp", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        getOutputShapes(new Shape[] {x.getShape()});
        x = act1.forward(ps, new NDList(x), training).singletonOrThrow(); // (..., C)
        x = drop(x, training);
        x = fc1.forward(ps, new NDList(x), training).singletonOrThrow(); // (..., hidden)
        x = act2.forward(ps, new NDList(x), training).singletonOrThrow();
        x = drop(x, training);
        return fc2.forward(ps, new NDList(x), training); // (..., out)
    }

    private NDArray drop(NDArray x, boolean training) {
        return dropout > 0 ? Dropout.dropout(x, dropout, training).singletonOrThrow() : x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        if (s.dimension() < 1 || s.get(s.dimension() - 1) != in) {
            throw new IllegalArgumentException(String.format("GroupRationalMlp expects input (..., %d): axis %d must"
                    + " be %d; got %s", in, Math.max(s.dimension() - 1, 0), in, s));
        }
        return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        getOutputShapes(inputShapes);
        act1.initialize(manager, dataType, s);
        fc1.initialize(manager, dataType, s);
        Shape h = s.slice(0, s.dimension() - 1).add(hidden);
        act2.initialize(manager, dataType, h);
        fc2.initialize(manager, dataType, h);
    }

    @Override
    protected String describe() {
        return "GroupRationalMlp(" + in + " -> " + hidden + " -> " + out + ")";
    }

    @Override
    public String toString() {
        return "GroupRationalMlp(" + in + " -> " + hidden + " -> " + out + ", " + act2 + ")";
    }
}
