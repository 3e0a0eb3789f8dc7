package io.github.mlpzoo.core.nn.ctr;

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

import java.util.Arrays;

/**
 * DIN's attention pooling of a behaviour sequence (Zhou et al., KDD 2018, §4.3, eq. 3 and Fig. 2; DeepCTR-Torch
 * {@code deepctr_torch/layers/sequence.py}, {@code AttentionSequencePoolingLayer} with {@code LocalActivationUnit}):
 * <pre>
 *   s_t = w · LAU([q, k_t, q - k_t, q ⊙ k_t]) + b        local activation unit: Tower(units, Dice) then Linear(1)
 *   softmax = false (the paper, DeepCTR's default):  a_t = m_t · s_t                     (weights not normalized)
 *   softmax = true  (the official code):             a_t = softmax_t(m_t ? s_t : -2^32 + 1)
 *   u = Σ_t a_t k_t
 * </pre>
 * Inputs: query {@code q (B, E)}, keys {@code k (B, T, E)}, mask {@code m (B, T)} float32 (1 = real, 0 = padding);
 * output {@code u (B, E)}. T is free. With softmax and an all-padding row, every score is -2^32+1, so the weights are
 * uniform and {@code u} is the mean of the padding keys: DeepCTR does exactly this (the official TF code also divides
 * the scores by sqrt(E) before the softmax; DeepCTR does not, nor do we). Without softmax an empty history gives
 * {@code u = 0}. Children: {@code 01lau} ({@link Tower} with Dice), {@code 02score} (Linear(1), PyTorch init).
 */
public final class AttentionPooling extends DescribedBlock {

    private static final byte VERSION = 1;
    /** DeepCTR's padding score before the softmax, {@code -2**32 + 1} (rounds to -2^32 in float32). */
    static final float PAD_SCORE = (float) (-Math.pow(2, 32) + 1);

    private final int embedding;
    private final int[] units;
    private final boolean softmax;
    private final Tower lau;
    private final Linear score;

    /**
     * Attention pooling of keys of width {@code embedding} with a local activation unit of hidden widths
     * {@code units} (Dice, weights N(0, initStd) as DeepCTR), normalized by a softmax or not.
     */
    public AttentionPooling(int embedding, int[] units, boolean softmax, float initStd) {
        super(VERSION);
        if (embedding < 1 || units.length == 0) {
            throw new IllegalArgumentException("AttentionPooling needs embedding >= 1 and at least one hidden width; got "
                    + embedding + ", " + Arrays.toString(units));
        }
        this.embedding = embedding;
        this.units = units.clone();
        this.softmax = softmax;
        lau = addChildBlock("lau", Tower.builder().setHidden(units).optActivation(Tower.Act.DICE)
                .optInit(LinearInit.NORMAL, initStd).build());
        score = addChildBlock("score", LinearInit.TORCH_DEFAULT.apply(Linear.builder().setUnits(1).build(), 0f));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("AttentionPooling", inputs, 3);
        NDArray q = inputs.get(0);
        NDArray k = inputs.get(1);
        NDArray m = inputs.get(2);
        check(q.getShape(), k.getShape(), m.getShape());
        long b = k.getShape().get(0);
        long t = k.getShape().get(1);
        NDArray qs = q.expandDims(1).broadcast(new Shape(b, t, embedding));               // (B, T, E)
        NDArray in = NDArrays.concat(new NDList(qs, k, qs.sub(k), qs.mul(k)), -1);         // (B, T, 4E)
        NDArray h = lau.forward(ps, new NDList(in), training).singletonOrThrow();          // (B, T, u_last)
        NDArray s = score.forward(ps, new NDList(h), training).singletonOrThrow().squeeze(-1);   // (B, T)
        NDArray keep = m.toType(DataType.BOOLEAN, false);
        NDArray a = softmax
                ? NDArrays.where(keep, s, s.zerosLike().add(PAD_SCORE)).softmax(-1)
                : NDArrays.where(keep, s, s.zerosLike());
        return new NDList(a.expandDims(1).matMul(k).squeeze(1));                          // (B, E)
    }

    private void check(Shape q, Shape k, Shape m) {
        InputCheck.shape("AttentionPooling", "query", q, InputCheck.ANY, embedding);
        InputCheck.shape("AttentionPooling", "keys", k, q.get(0), InputCheck.ANY, embedding);
        InputCheck.shape("AttentionPooling", "mask", m, q.get(0), k.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0], inputShapes[1], inputShapes[2]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0], inputShapes[1], inputShapes[2]);
        Shape k = inputShapes[1];
        Shape in = new Shape(k.get(0), k.get(1), 4L * embedding);
        lau.initialize(manager, dataType, in);
        score.initialize(manager, dataType, lau.getOutputShapes(new Shape[] {in}));
    }

    @Override
    public String toString() {
        return "AttentionPooling(E=" + embedding + ", units=" + Arrays.toString(units) + ", softmax=" + softmax + ")";
    }
}
