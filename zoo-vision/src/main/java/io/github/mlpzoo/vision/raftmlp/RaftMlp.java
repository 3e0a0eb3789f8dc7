package io.github.mlpzoo.vision.raftmlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.ops.Ops;
import io.github.mlpzoo.core.weights.KeyMap;
import io.github.mlpzoo.core.zoo.Configs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * RaftMLP (Tatsunami &amp; Taki, <i>RaftMLP: How Much Can Be Done Without Attention and with Less Spatial
 * Locality?</i>, arXiv 2108.04384 v2, §3) as the official {@code RaftMLP} (okojoalg/raft-mlp {@code libs/models.py},
 * {@code libs/modules.py}) computes it with the ImageNet settings ({@code ser_pm} token mixing, {@code emb_cross_mlp}
 * embedding, {@code shortcut: False}). Per level i, on the map of the level before:
 * <pre>
 *   if H or W is not a multiple of p_i: x = bicubic(x, ceil(H/p_i)·p_i, ceil(W/p_i)·p_i)
 *   x = CrossScaleEmbedding(x)                                   (B, D_i, H/p_i, W/p_i), as (B, h, w, D_i)
 *   x = RaftBlock(x) × depth_i                                   vertical → horizontal raft mixing → channel MLP
 *   y = classifier(mean_{h,w}(LN(x)))                            after the last level, (B, K)
 * </pre>
 * ({@link io.github.mlpzoo.core.nn.tokenmix.RaftTokenMixing}, {@link CrossScaleEmbedding}). <b>Resolution</b>: the
 * token MLPs are sized for the grid of {@link RaftMlpConfig#imageSize} (56/28/14/7 at 224); any other input size is
 * accepted, and each block resizes its map to that grid by bicubic interpolation before token mixing and back
 * afterwards, exactly as the official {@code RaftShrink}/{@code RaftExpansion} do
 * ({@link Ops#resizeBicubic}, {@code align_corners=False}). The official {@code Level} stores the runtime grid in
 * its modules during forward; here it is computed per call.
 *
 * <p>Following the official code: stochastic depth is the same in every branch (not increasing with depth);
 * LayerNorms are eps 1e-5; the vertical/horizontal LayerNorms index their affine weights in the permuted order
 * {@code raft·r + member}. Initialization is PyTorch's default (the official model has none).
 *
 * <p>Shapes: input {@code (B, inChannels, H, W)}, any H, W &ge; 1; output {@code (B, K)}. Parameters: see
 * {@link #keyMap} for the official names.
 */
public final class RaftMlp extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    private final RaftMlpConfig config;
    private final List<CrossScaleEmbedding> embeddings = new ArrayList<>();
    private final List<List<RaftBlock>> levels = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear head;

    private RaftMlp(RaftMlpConfig c) {
        super(VERSION);
        this.config = c;
        int[] depths = c.depths();
        int[] dims = c.dims();
        for (int i = 0; i < c.levels(); i++) {
            int in = i == 0 ? c.inChannels() : dims[i - 1];
            embeddings.add(addChildBlock("embed", new CrossScaleEmbedding(in, dims[i], c.patchSizes()[i],
                    c.crossScales()[i])));
            List<RaftBlock> level = new ArrayList<>();
            for (int j = 0; j < depths[i]; j++) {
                level.add(addChildBlock("block", new RaftBlock(dims[i], c.raftSizes()[i], c.grid(i),
                        c.tokenExpansion(), c.channelExpansion(), c.dropout(), c.dropPath())));
            }
            levels.add(level);
        }
        norm = addChildBlock("norm", LayerNorm.builder().axis(3).build());
        head = addChildBlock("head", TorchInit.apply(Linear.builder().setUnits(c.numClasses()).build()));
    }

    /** RaftMLP for {@code config}. */
    public static RaftMlp of(RaftMlpConfig config) {
        return new RaftMlp(config);
    }

    /** This model's configuration. */
    public RaftMlpConfig config() {
        return config;
    }

    /** The key map from the official state_dict names ({@code RaftMLP.state_dict()}) to a RaftMLP of {@code config}. */
    public static KeyMap keyMap(RaftMlpConfig config) {
        KeyMap.Builder b = KeyMap.builder();
        int[] depths = config.depths();
        int child = 0;
        for (int i = 0; i < config.levels(); i++) {
            String level = "levels." + i + ".fn.";
            linear(b, level + "0.fc.", String.format("%02dembed_01fc_", ++child));
            for (int j = 0; j < depths[i]; j++) {
                String official = level + (j + 2) + ".";
                String ours = String.format("%02dblock_", ++child);
                String tm = ours + "01tokenMixing_";
                layerNorm(b, official + "1.norm.1.", tm + "01normV_");
                linear(b, official + "1.fn.0.", tm + "02fc1V_");
                linear(b, official + "1.fn.3.", tm + "03fc2V_");
                layerNorm(b, official + "3.norm.1.", tm + "04normH_");
                linear(b, official + "3.fn.0.", tm + "05fc1H_");
                linear(b, official + "3.fn.3.", tm + "06fc2H_");
                layerNorm(b, official + "5.norm.", ours + "02norm_");
                linear(b, official + "5.fn.0.", ours + "03fc1_");
                linear(b, official + "5.fn.3.", ours + "04fc2_");
            }
        }
        layerNorm(b, "heads.0.1.", String.format("%02dnorm_", ++child));
        linear(b, "classifier.", String.format("%02dhead_", ++child));
        return b.build();
    }

    private static void linear(KeyMap.Builder b, String official, String ours) {
        b.rename(Pattern.quote(official) + "(weight|bias)", ours + "{1}");
    }

    private static void layerNorm(KeyMap.Builder b, String official, String ours) {
        b.rename(Pattern.quote(official + "weight"), ours + "gamma")
                .rename(Pattern.quote(official + "bias"), ours + "beta");
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = InputCheck.image("RaftMlp", inputs);
        check(x.getShape());
        int[] patches = config.patchSizes();
        for (int i = 0; i < levels.size(); i++) {
            x = padToPatch(x, patches[i]); // (B, C, ceil(H/p)·p, ceil(W/p)·p)
            x = embeddings.get(i).forward(ps, new NDList(x), training).singletonOrThrow().transpose(0, 2, 3, 1);
            for (Block b : levels.get(i)) {
                x = b.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, h, w, D)
            }
            if (i + 1 < levels.size()) {
                x = x.transpose(0, 3, 1, 2); // (B, D, h, w)
            }
        }
        x = norm.forward(ps, new NDList(x), training).singletonOrThrow();
        Shape s = x.getShape();
        x = x.reshape(s.get(0), -1, s.get(3)).mean(new int[] {1}); // (B, D_last)
        return head.forward(ps, new NDList(x), training); // (B, K)
    }

    /** The official {@code Level.forward}: a bicubic resize up to the next multiples of the patch size, if needed. */
    private static NDArray padToPatch(NDArray x, int p) {
        Shape s = x.getShape();
        long h = s.get(2);
        long w = s.get(3);
        if (h % p == 0 && w % p == 0) {
            return x;
        }
        return Ops.resizeBicubic(x, ceil(h, p) * p, ceil(w, p) * p);
    }

    private static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }

    private void check(Shape s) {
        InputCheck.imageShape("RaftMlp", s, config.inChannels(), InputCheck.ANY, InputCheck.ANY);
        if (s.get(2) < 1 || s.get(3) < 1) {
            throw new IllegalArgumentException("RaftMlp expects input (B, " + config.inChannels()
                    + ", H, W) with H, W >= 1; got " + s);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes[0]);
        return new Shape[] {new Shape(inputShapes[0].get(0), config.numClasses())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        check(in);
        long b = in.get(0);
        long h = in.get(2);
        long w = in.get(3);
        int[] patches = config.patchSizes();
        int[] dims = config.dims();
        for (int i = 0; i < levels.size(); i++) {
            int p = patches[i];
            long c = i == 0 ? config.inChannels() : dims[i - 1];
            embeddings.get(i).initialize(manager, dataType, new Shape(b, c, ceil(h, p) * p, ceil(w, p) * p));
            h = ceil(h, p);
            w = ceil(w, p);
            for (RaftBlock block : levels.get(i)) {
                block.initialize(manager, dataType, new Shape(b, h, w, dims[i]));
            }
        }
        int d = dims[dims.length - 1];
        norm.initialize(manager, dataType, new Shape(b, h, w, d));
        head.initialize(manager, dataType, new Shape(b, d));
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "RaftMlp" + config;
    }
}
