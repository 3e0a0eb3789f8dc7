package io.github.mlpzoo.core.nn.attention;

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
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.ops.Scalars;
import io.github.mlpzoo.core.profile.MacCounter;

/**
 * Multi-head softmax self-attention with one fused q/k/v projection, as timm's ViT {@code Attention}
 * ({@code timm/models/vision_transformer.py}; Vaswani et al. 2017, §3.2; copied by KAT's {@code katransformer.py}):
 * <pre>
 *   q, k, v = split(x W_qkvᵀ + b_qkv)              each (B, H, N, C/H)
 *   y = concat_h(softmax(q kᵀ / √(C/H)) v) W_projᵀ + b_proj
 * </pre>
 * Dimension letters: B batch, N tokens, C channels, H heads. Input {@code (B, N, C)}, output the same. Children:
 * {@code qkv} (Linear C → 3C; the 3C outputs ordered q, k, v, head-major within each), {@code proj} (Linear C → C);
 * so the official {@code qkv.weight (3C, C)} and {@code proj.weight} load as they are. Dropout on the attention map
 * ({@code attnDrop}) and after the projection ({@code projDrop}).
 *
 * <p>Initialization as KAT's {@code init_weights_vit_kan_*} (and timm's moco init): {@code qkv.weight} from
 * U(±√(6 / (C + C))), Xavier for each of q, k, v separately; {@code proj.weight} N(0, 0.02) (timm's
 * {@code trunc_normal_(std=.02)} truncates at ±2, i.e. 100σ, so it is a normal); biases zero. KAT's optional
 * "mimetic" attention init (an SVD-based near-identity qk) is not reproduced.
 *
 * <p>{@link #separateProjections} builds the other common layout, four separate projections as BART's attention and
 * Hugging Face's copies of it (e.g. {@code PatchTSMixerAttention} in {@code modeling_patchtsmixer.py}): children
 * {@code qProj}, {@code kProj}, {@code vProj}, {@code outProj} (each Linear C → C with bias, PyTorch's default init),
 * dropout on the attention map only; the same function as above with {@code W_qkv} split in three.
 */
public final class MultiHeadSelfAttention extends DescribedBlock implements MacCounter {

    private static final byte VERSION = 2; // version 1 saved the configuration field by field

    private final int dim;
    private final int heads;
    private final float attnDrop;
    private final float projDrop;
    private final Linear qkv;
    private final Linear proj;
    private final Linear qProj;
    private final Linear kProj;
    private final Linear vProj;

    /**
     * Attention over {@code dim} channels in {@code heads} heads.
     *
     * @param qkvBias whether the q/k/v projection has a bias (timm ViT and KAT: true)
     */
    public MultiHeadSelfAttention(int dim, int heads, boolean qkvBias, float attnDrop, float projDrop) {
        this(dim, heads, qkvBias, attnDrop, projDrop, false);
    }

    /**
     * Attention with separate q, k, v and output projections (BART / Hugging Face layout, PyTorch's default init),
     * dropout {@code attnDrop} on the attention map.
     */
    public static MultiHeadSelfAttention separateProjections(int dim, int heads, float attnDrop) {
        return new MultiHeadSelfAttention(dim, heads, true, attnDrop, 0f, true);
    }

    private MultiHeadSelfAttention(int dim, int heads, boolean qkvBias, float attnDrop, float projDrop,
            boolean separate) {
        super(VERSION);
        if (dim < 1 || heads < 1 || dim % heads != 0) {
            throw new IllegalArgumentException(
                    "MultiHeadSelfAttention needs dim a multiple of heads >= 1; got dim=" + dim + ", heads=" + heads);
        }
        if (!(attnDrop >= 0 && attnDrop < 1) || !(projDrop >= 0 && projDrop < 1)) {
            throw new IllegalArgumentException("MultiHeadSelfAttention dropouts must be in [0, 1); got " + attnDrop
                    + ", " + projDrop);
        }
        this.dim = dim;
        this.heads = heads;
        this.attnDrop = attnDrop;
        this.projDrop = projDrop;
        if (separate) {
            qkv = null;
            qProj = addChildBlock("qProj", TorchInit.apply(Linear.builder().setUnits(dim).build()));
            kProj = addChildBlock("kProj", TorchInit.apply(Linear.builder().setUnits(dim).build()));
            vProj = addChildBlock("vProj", TorchInit.apply(Linear.builder().setUnits(dim).build()));
            proj = addChildBlock("outProj", TorchInit.apply(Linear.builder().setUnits(dim).build()));
            return;
        }
        qProj = null;
        kProj = null;
        vProj = null;
        qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * dim).optBias(qkvBias).build());
        float bound = (float) Math.sqrt(6.0 / (dim + dim));
        qkv.setInitializer((m, shape, type) -> m.randomUniform(-bound, bound, shape, type), Parameter.Type.WEIGHT);
        qkv.setInitializer(new ConstantInitializer(0f), Parameter.Type.BIAS);
        proj = addChildBlock("proj", Linear.builder().setUnits(dim).build());
        proj.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
        proj.setInitializer(new ConstantInitializer(0f), Parameter.Type.BIAS);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("MultiHeadSelfAttention", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        InputCheck.shape("MultiHeadSelfAttention", "input (B, N, C)", x, InputCheck.ANY, InputCheck.ANY, dim);
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        long hd = dim / heads;
        NDArray q;
        NDArray k;
        NDArray v;
        if (qkv != null) {
            NDArray t = qkv.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, N, 3C)
            t = t.reshape(b, n, 3, heads, hd).transpose(2, 0, 3, 1, 4); // (3, B, H, N, hd)
            q = t.get(0);
            k = t.get(1);
            v = t.get(2);
        } else {
            q = heads(qProj.forward(ps, new NDList(x), training).singletonOrThrow(), b, n, hd);
            k = heads(kProj.forward(ps, new NDList(x), training).singletonOrThrow(), b, n, hd);
            v = heads(vProj.forward(ps, new NDList(x), training).singletonOrThrow(), b, n, hd);
        }
        q = Scalars.mul(q, 1.0 / Math.sqrt(hd));
        NDArray attn = q.matMul(k.transpose(0, 1, 3, 2)).softmax(-1); // (B, H, N, N)
        if (attnDrop > 0) {
            attn = Dropout.dropout(attn, attnDrop, training).singletonOrThrow();
        }
        NDArray y = attn.matMul(v).transpose(0, 2, 1, 3).reshape(b, n, dim); // (B, N, C)
        y = proj.forward(ps, new NDList(y), training).singletonOrThrow();
        if (projDrop > 0) {
            y = Dropout.dropout(y, projDrop, training).singletonOrThrow();
        }
        return new NDList(y);
    }

    /** (B, N, C) → (B, H, N, C/H). */
    private NDArray heads(NDArray t, long b, long n, long hd) {
        return t.reshape(b, n, heads, hd).transpose(0, 2, 1, 3);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        InputCheck.shape("MultiHeadSelfAttention", "input (B, N, C)", inputShapes[0], InputCheck.ANY,
                InputCheck.ANY, dim);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        getOutputShapes(inputShapes);
        if (qkv != null) {
            qkv.initialize(manager, dataType, inputShapes[0]);
        } else {
            qProj.initialize(manager, dataType, inputShapes[0]);
            kProj.initialize(manager, dataType, inputShapes[0]);
            vProj.initialize(manager, dataType, inputShapes[0]);
        }
        proj.initialize(manager, dataType, inputShapes[0]);
    }

    /** {@inheritDoc} The two token-to-token products, {@code q kᵀ} and {@code attn v}: {@code 2·N²·C}. */
    @Override
    public long macs(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return 2 * s.get(0) * s.get(1) * s.get(1) * dim;
    }

    @Override
    public String toString() {
        return "MultiHeadSelfAttention(dim=" + dim + ", heads=" + heads + ")";
    }
}
