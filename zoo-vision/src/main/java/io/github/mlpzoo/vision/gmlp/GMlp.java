package io.github.mlpzoo.vision.gmlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.glu.GatedMlp;
import io.github.mlpzoo.core.nn.residual.DropPath;
import io.github.mlpzoo.core.nn.tokenmix.SpatialGatingUnit;
import io.github.mlpzoo.core.weights.KeyMap;
import io.github.mlpzoo.vision.mixer.MlpMixer;

import java.util.ArrayList;
import java.util.List;

/**
 * gMLP (Liu et al., <i>Pay Attention to MLPs</i>, NeurIPS 2021, §2, Fig. 1) as timm builds it: the
 * {@link MlpMixer} skeleton (patch stem, blocks, LayerNorm eps 1e-6, token mean, head) with gMLP blocks
 * ({@code SpatialGatingBlock}):
 * <pre>
 *   x = x + DropPath(GatedMlp(LayerNorm(x)))
 *   GatedMlp(z) = fc2(SGU(GELU(fc1(z))))        fc1: d → d_ffn, SGU: d_ffn → d_ffn/2, fc2: d_ffn/2 → d
 * </pre>
 * with the {@link SpatialGatingUnit} mixing the N tokens. Shapes: input {@code (B, inChannels, S, S)} (fixed, as in
 * timm), output {@code (B, K)}.
 *
 * <p>Parameters, timm name → ours (i = 0..L-1; {@link #keyMap}): {@code stem/norm/head} as in {@link MlpMixer};
 * {@code blocks.i.norm.*} → {@code {i+2}block_01norm_{gamma,beta}}, {@code blocks.i.mlp_channels.fc1.*} →
 * {@code {i+2}block_02mlp_01fc1_*}, {@code blocks.i.mlp_channels.gate.norm.*} →
 * {@code {i+2}block_02mlp_02gate_01norm_{gamma,beta}}, {@code blocks.i.mlp_channels.gate.proj.*} →
 * {@code {i+2}block_02mlp_02gate_02proj_*}, {@code blocks.i.mlp_channels.fc2.*} → {@code {i+2}block_02mlp_03fc2_*}.
 */
public final class GMlp {

    private GMlp() {}

    /** gMLP for {@code config}. */
    public static MlpMixer of(GMlpConfig c) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < c.numBlocks(); i++) {
            blocks.add(new SpatialGatingBlock(c));
        }
        return MlpMixer.withBlocks(c, c.imageSize(), c.inChannels(), c.patchSize(), c.embedDim(), c.numClasses(), blocks);
    }

    /** The key map from timm's {@code gmlp_*} state_dict names to a gMLP built from {@code config}. */
    public static KeyMap keyMap(GMlpConfig config) {
        return MlpMixer.skeletonKeys(config.numBlocks())
                .rename("blocks\\.(\\d+)\\.norm\\.weight", "{1+2}block_01norm_gamma")
                .rename("blocks\\.(\\d+)\\.norm\\.bias", "{1+2}block_01norm_beta")
                .rename("blocks\\.(\\d+)\\.mlp_channels\\.fc1\\.(weight|bias)", "{1+2}block_02mlp_01fc1_{2}")
                .rename("blocks\\.(\\d+)\\.mlp_channels\\.gate\\.norm\\.weight", "{1+2}block_02mlp_02gate_01norm_gamma")
                .rename("blocks\\.(\\d+)\\.mlp_channels\\.gate\\.norm\\.bias", "{1+2}block_02mlp_02gate_01norm_beta")
                .rename("blocks\\.(\\d+)\\.mlp_channels\\.gate\\.proj\\.(weight|bias)",
                        "{1+2}block_02mlp_02gate_02proj_{2}")
                .rename("blocks\\.(\\d+)\\.mlp_channels\\.fc2\\.(weight|bias)", "{1+2}block_02mlp_03fc2_{2}")
                .build();
    }

    /**
     * timm's {@code SpatialGatingBlock}: {@code x + DropPath(GatedMlp(LayerNorm(x)))} on {@code (B, N, d)}.
     * Children {@code 01norm} (LayerNorm eps 1e-6), {@code 02mlp} ({@link GatedMlp} with a spatial gate).
     */
    static final class SpatialGatingBlock extends AbstractBlock {

        private static final byte VERSION = 1;

        private final int tokens;
        private final int dim;
        private final float dropPath;
        private final LayerNorm norm;
        private final GatedMlp mlp;

        SpatialGatingBlock(GMlpConfig c) {
            super(VERSION);
            tokens = c.tokens();
            dim = c.embedDim();
            dropPath = c.dropPath();
            int half = c.ffnWidth() / 2;
            norm = addChildBlock("norm", LayerNorm.builder().axis(2).optEpsilon(1e-6f).build());
            mlp = addChildBlock("mlp", GatedMlp.withGate(new SpatialGatingUnit(tokens, half), true, dim, half, dim,
                    c.dropout()));
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            InputCheck.count("SpatialGatingBlock", inputs, 1);
            NDArray x = inputs.singletonOrThrow();
            check(x.getShape());
            NDArray h = norm.forward(ps, new NDList(x), training).singletonOrThrow();
            h = mlp.forward(ps, new NDList(h), training).singletonOrThrow(); // (B, N, d)
            return new NDList(x.add(DropPath.dropPath(h, dropPath, training)));
        }

        private void check(Shape s) {
            InputCheck.shape("SpatialGatingBlock", "input (B, N, d)", s, InputCheck.ANY, tokens, dim);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            check(inputShapes[0]);
            return new Shape[] {inputShapes[0]};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            check(inputShapes[0]);
            norm.initialize(manager, dataType, inputShapes);
            mlp.initialize(manager, dataType, inputShapes);
        }

        @Override
        public String toString() {
            return "SpatialGatingBlock(" + tokens + " tokens, " + dim + ", drop path " + dropPath + ")";
        }
    }
}
