package io.github.mlpzoo.core.nn.mixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.attention.MultiHeadSelfAttention;

/**
 * One pre-norm, gated, residual MLP that mixes one chosen axis of a tensor whose last axis holds the features:
 * the patch, feature and channel mixers of TSMixer (Ekambaram et al., KDD 2023, §4.1.2; HF
 * {@code modeling_patchtsmixer.py}: {@code PatchMixerBlock}, {@code FeatureMixerBlock},
 * {@code PatchTSMixerChannelFeatureMixerBlock}) are this block with the mixed axis = patches, features or channels.
 * <pre>
 *   h = Norm(x)                               over the last axis (d features)
 *   h = swap(h, axis, last)                   the mixed axis (n elements) moves last
 *   h = Gate(h) then MLP(h)     if gateFirst  (HF's channel mixer)
 *   h = MLP(h) then Gate(h)     otherwise     (HF's patch and feature mixers)
 *   y = swap(h, axis, last) + x
 * </pre>
 * MLP = {@link MixerMlp}(n → n·expansion → n, GELU, dropout), Gate = {@link GatedAttention}(n) (optional).
 * Norm: {@code LayerNorm(d)} (eps 1e-5), or BatchNorm over d with statistics over every other axis
 * (HF's {@code BatchNorm1d(d_model)} on {@code (B·C, d, N)}; eps 1e-5, PyTorch momentum 0.1).
 *
 * <p>Optional self-attention ({@link Builder#optSelfAttention}, HF's {@code self_attn} in the patch mixer): with the
 * mixed axis second to last (tokens) and d features, {@code a = MHSA(h)} on the normed input (BART-style separate
 * projections, {@link MultiHeadSelfAttention#separateProjections}, attention dropout = the block's dropout), and after
 * the MLP and gate {@code h = Norm'(h + a)} with a second norm of the same kind, before the residual.
 *
 * <p>Shapes: input of rank &ge; 2 with {@code shape[axis] = n} and last axis {@code d}; output the same. When
 * {@code axis} is the last axis, n = d. Parameters (HF name → ours): {@code norm.norm.weight/bias → 01norm_gamma/beta}
 * (BatchNorm also {@code running_mean/var → 01norm_runningMean/runningVar}), {@code mlp.fc1/fc2.* →
 * 02mlp_01fc1_* / 02mlp_02fc2_*}, {@code gating_block.attn_layer.* → 03gate_01attn_*}.
 */
public final class AxisMixerBlock extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    /** The pre-normalization. */
    public enum Norm {
        /** LayerNorm over the feature (last) axis. */
        LAYER,
        /** BatchNorm of each feature over all other axes. */
        BATCH
    }

    private final int axis;
    private final int n;
    private final int d;
    private final boolean gated;
    private final boolean gateFirst;
    private final Norm norm;
    private final Block normBlock;
    private final MixerMlp mlp;
    private final GatedAttention gate;
    private final MultiHeadSelfAttention attention;
    private final Block normAttn;

    private AxisMixerBlock(Builder b) {
        super(VERSION);
        this.axis = b.axis;
        this.n = b.n;
        this.d = b.d;
        this.gated = b.gated;
        this.gateFirst = b.gateFirst;
        this.norm = b.norm;
        normBlock = addChildBlock("norm", newNorm(norm));
        mlp = addChildBlock("mlp", new MixerMlp(n, n * b.expansion, n, b.dropout, MixerMlp.Act.GELU));
        gate = gated ? addChildBlock("gate", new GatedAttention(n)) : null;
        if (b.attentionHeads > 0) {
            attention = addChildBlock("attention",
                    MultiHeadSelfAttention.separateProjections(d, b.attentionHeads, b.dropout));
            normAttn = addChildBlock("normAttn", newNorm(norm));
        } else {
            attention = null;
            normAttn = null;
        }
    }

    private static Block newNorm(Norm norm) {
        return norm == Norm.LAYER
                ? LayerNorm.builder().axis(1).optEpsilon(1e-5f).build()
                : BatchNorm.builder().optAxis(1).optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    /** A builder; {@code setAxis}, {@code setSize} and {@code setFeatures} are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("AxisMixerBlock", inputs, 1);
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        check(s);
        int last = s.dimension() - 1;
        NDArray h = normBlock.forward(ps, new NDList(x.reshape(-1, d)), training).singletonOrThrow().reshape(s);
        NDArray a = attention == null ? null
                : attention.forward(ps, new NDList(h.reshape(-1, n, d)), training).singletonOrThrow().reshape(s);
        if (axis != last) {
            h = h.swapAxes(axis, last);
        }
        if (gated && gateFirst) {
            h = gate.forward(ps, new NDList(h), training).singletonOrThrow();
        }
        h = mlp.forward(ps, new NDList(h), training).singletonOrThrow();
        if (gated && !gateFirst) {
            h = gate.forward(ps, new NDList(h), training).singletonOrThrow();
        }
        if (axis != last) {
            h = h.swapAxes(axis, last);
        }
        if (a != null) {
            h = normAttn.forward(ps, new NDList(h.add(a).reshape(-1, d)), training).singletonOrThrow().reshape(s);
        }
        return new NDList(h.add(x));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        check(s);
        normBlock.initialize(manager, dataType, new Shape(s.size() / d, d));
        long[] moved = s.getShape().clone();
        int last = moved.length - 1;
        long t = moved[axis];
        moved[axis] = moved[last];
        moved[last] = t;
        mlp.initialize(manager, dataType, new Shape(moved));
        if (gate != null) {
            gate.initialize(manager, dataType, new Shape(moved));
        }
        if (attention != null) {
            attention.initialize(manager, dataType, new Shape(s.size() / (n * d), n, d));
            normAttn.initialize(manager, dataType, new Shape(s.size() / d, d));
        }
    }

    private void check(Shape s) {
        int last = s.dimension() - 1;
        if (last < 1 || axis > last) {
            throw new IllegalArgumentException(String.format(
                    "AxisMixerBlock expects an input of rank >= %d (mixed axis %d, features last); got rank %d %s",
                    Math.max(2, axis + 1), axis, s.dimension(), s));
        }
        if (s.get(axis) != n) {
            throw new IllegalArgumentException(String.format(
                    "AxisMixerBlock expects axis %d (the mixed axis) to be %d; got %s", axis, n, s));
        }
        if (attention != null && axis != last - 1) {
            throw new IllegalArgumentException(String.format("AxisMixerBlock with self-attention expects rank %d "
                    + "(mixed axis %d second to last, features last); got rank %d %s", axis + 2, axis,
                    s.dimension(), s));
        }
        if (s.get(last) != d) {
            throw new IllegalArgumentException(String.format(
                    "AxisMixerBlock expects axis %d (the last, features) to be %d; got %s", last, d, s));
        }
    }

    @Override
    public String toString() {
        return String.format("AxisMixerBlock(axis %d of %d, features %d, %s norm, gate %s%s)", axis, n, d, norm,
                gated ? (gateFirst ? "before MLP" : "after MLP") : "off",
                attention == null ? "" : ", " + attention);
    }

    /** Builder for {@link AxisMixerBlock}. */
    public static final class Builder {
        private int axis = -1;
        private int n;
        private int d;
        private int expansion = 2;
        private float dropout;
        private boolean gated = true;
        private boolean gateFirst;
        private Norm norm = Norm.LAYER;
        private int attentionHeads;

        Builder() {}

        /** The axis to mix (non-negative, counted with the batch axis). */
        public Builder setAxis(int axis) {
            this.axis = axis;
            return this;
        }

        /** The size n of the mixed axis. */
        public Builder setSize(int n) {
            this.n = n;
            return this;
        }

        /** The size d of the last (feature) axis, which the norm normalizes. */
        public Builder setFeatures(int d) {
            this.d = d;
            return this;
        }

        /** The MLP's hidden width is {@code n · expansion} (default 2). */
        public Builder optExpansion(int expansion) {
            this.expansion = expansion;
            return this;
        }

        /** Dropout after the activation and after the MLP (default 0). */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Whether the gated-attention gate is used (default true). */
        public Builder optGated(boolean gated) {
            this.gated = gated;
            return this;
        }

        /** Gate before the MLP instead of after it (HF's channel mixer; default false). */
        public Builder optGateFirst(boolean gateFirst) {
            this.gateFirst = gateFirst;
            return this;
        }

        /** The pre-norm (default LayerNorm). */
        public Builder optNorm(Norm norm) {
            this.norm = norm;
            return this;
        }

        /**
         * Adds multi-head self-attention over the mixed axis with {@code heads} heads (HF's {@code self_attn} and
         * {@code self_attn_heads}); needs the mixed axis to be the second to last and d a multiple of heads. 0: none.
         */
        public Builder optSelfAttention(int heads) {
            this.attentionHeads = heads;
            return this;
        }

        /**
         * Builds the block.
         *
         * @throws IllegalArgumentException naming the invalid setting
         */
        public AxisMixerBlock build() {
            if (axis < 0) {
                throw new IllegalArgumentException("AxisMixerBlock needs setAxis(axis >= 0); got " + axis);
            }
            if (n < 1 || d < 1 || expansion < 1) {
                throw new IllegalArgumentException(String.format(
                        "AxisMixerBlock needs size, features and expansion >= 1; got %d, %d, %d", n, d, expansion));
            }
            if (attentionHeads < 0 || (attentionHeads > 0 && d % attentionHeads != 0)) {
                throw new IllegalArgumentException(String.format(
                        "AxisMixerBlock self-attention needs heads >= 0 dividing features %d; got %d", d,
                        attentionHeads));
            }
            if (norm == null) {
                throw new IllegalArgumentException("AxisMixerBlock norm must be LAYER or BATCH; got null");
            }
            return new AxisMixerBlock(this);
        }
    }
}
