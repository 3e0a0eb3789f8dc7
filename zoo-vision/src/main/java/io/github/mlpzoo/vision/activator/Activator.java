package io.github.mlpzoo.vision.activator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.nn.mixer.MixerMlp;
import io.github.mlpzoo.core.nn.vision.PatchEmbedding;
import io.github.mlpzoo.core.weights.KeyMap;
import io.github.mlpzoo.core.zoo.Configs;

import java.util.ArrayList;
import java.util.List;

/**
 * Activator as the official code builds it (Abdullah-88/Activator {@code activator.py} and {@code train.py},
 * {@code ACTIVATORImageClassification}; arXiv 2405.15953):
 * <pre>
 *   x = PatchEmbed_{p×p/p}(img)                       (B, N, d)
 *   x = x + AGU(LN(x));  x = x + FFN(LN(x))          × numLayers   (the same LN module both times)
 *   y = head(mean_N(x))                               (B, K)
 * </pre>
 * AGU is {@link ActivatorGatingUnit}; FFN is Linear-GELU-Dropout-Linear-Dropout ({@link MixerMlp}). Dimension letters:
 * B batch, N patches, d width, K classes. There is <b>no token mixing</b>: every operation but the final mean acts on
 * each token alone, as in the official code (the paper frames the gating unit as replacing attention; we keep the
 * code's behaviour). No position embedding, no class token, no final norm. Every Linear/Conv has PyTorch's default
 * init; LayerNorms eps 1e-5. Input {@code (B, inChannels, S, S)} of the configured size.
 *
 * <p>Parameters, official name → ours (i = 0..L-1): {@code patcher.*} → {@code 01patcher_01proj_*};
 * {@code model.i.norm.*} → {@code {i+2}block_01norm_{gamma,beta}}; {@code model.i.actgu.proj_k.*} →
 * {@code {i+2}block_02actgu_0kproj{k}_*}; {@code model.i.actgu.norm.*} → {@code {i+2}block_02actgu_04norm_*};
 * {@code model.i.ffn.net.{0,3}.*} → {@code {i+2}block_03ffn_0{1,2}fc{1,2}_*}; {@code classifier.*} →
 * {@code {L+2}classifier_*}.
 */
public final class Activator extends DescribedBlock {

    private static final byte VERSION = 1;

    private final ActivatorConfig config;
    private final PatchEmbedding patcher;
    private final List<Block> blocks = new ArrayList<>();
    private final Linear classifier;

    private Activator(ActivatorConfig c) {
        super(VERSION);
        this.config = c;
        patcher = addChildBlock("patcher", PatchEmbedding.builder().setInChannels(c.inChannels())
                .setEmbedDim(c.dModel()).setKernel(c.patchSize()).optFlatten(true).build());
        for (int i = 0; i < c.numLayers(); i++) {
            blocks.add(addChildBlock("block", new Block(c)));
        }
        classifier = addChildBlock("classifier", TorchInit.apply(Linear.builder().setUnits(c.numClasses()).build()));
    }

    /** Activator for {@code config}. */
    public static Activator of(ActivatorConfig config) {
        return new Activator(config);
    }

    /** The key map from the official state_dict names ({@code patcher}, {@code model.i}, {@code classifier}). */
    public static KeyMap keyMap(ActivatorConfig c) {
        String b = "model\\.(\\d+)\\.";
        String ours = "{1+2}block_";
        return KeyMap.builder()
                .rename("patcher\\.(weight|bias)", "01patcher_01proj_{1}")
                .rename(b + "norm\\.weight", ours + "01norm_gamma")
                .rename(b + "norm\\.bias", ours + "01norm_beta")
                .rename(b + "actgu\\.proj_([123])\\.(weight|bias)", ours + "02actgu_0{2}proj{2}_{3}")
                .rename(b + "actgu\\.norm\\.weight", ours + "02actgu_04norm_gamma")
                .rename(b + "actgu\\.norm\\.bias", ours + "02actgu_04norm_beta")
                .rename(b + "ffn\\.net\\.0\\.(weight|bias)", ours + "03ffn_01fc1_{2}")
                .rename(b + "ffn\\.net\\.3\\.(weight|bias)", ours + "03ffn_02fc2_{2}")
                .rename("classifier\\.(weight|bias)", String.format("%02dclassifier_{1}", c.numLayers() + 2))
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = InputCheck.image("Activator", inputs);
        check(x.getShape());
        x = patcher.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, N, d)
        for (Block blk : blocks) {
            x = blk.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        return classifier.forward(ps, new NDList(x.mean(new int[] {1})), training); // (B, K)
    }

    private void check(Shape s) {
        InputCheck.imageShape("Activator", s, config.inChannels(), config.imageSize(), config.imageSize());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {new Shape(inputShapes[0].get(0), config.numClasses())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes[0]);
        patcher.initialize(manager, dataType, inputShapes[0]);
        Shape tokens = patcher.getOutputShapes(inputShapes)[0];
        for (Block blk : blocks) {
            blk.initialize(manager, dataType, tokens);
        }
        classifier.initialize(manager, dataType, new Shape(tokens.get(0), config.dModel()));
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "Activator(" + config.numLayers() + " layers of " + config.dModel() + (config.ffn() ? "" : ", no FFN")
                + ")";
    }

    /** One {@code ActivatorBlock}: the shared pre-norm, the gating unit, and the FFN if configured. */
    private static final class Block extends AbstractBlock {
        private final LayerNorm norm;
        private final ActivatorGatingUnit actgu;
        private final MixerMlp ffn;

        Block(ActivatorConfig c) {
            super((byte) 1);
            norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
            actgu = addChildBlock("actgu", new ActivatorGatingUnit(c.dModel(), c.dFfn()));
            ffn = c.ffn() ? addChildBlock("ffn", new MixerMlp(c.dModel(), c.dFfn(), c.dModel(), c.dropout(),
                    MixerMlp.Act.GELU)) : null;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray h = norm.forward(ps, new NDList(x), training).singletonOrThrow();
            x = x.add(actgu.forward(ps, new NDList(h), training).singletonOrThrow());
            if (ffn != null) {
                h = norm.forward(ps, new NDList(x), training).singletonOrThrow();
                x = x.add(ffn.forward(ps, new NDList(h), training).singletonOrThrow());
            }
            return new NDList(x);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return actgu.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            norm.initialize(manager, dataType, inputShapes);
            actgu.initialize(manager, dataType, inputShapes);
            if (ffn != null) {
                ffn.initialize(manager, dataType, inputShapes);
            }
        }
    }
}
