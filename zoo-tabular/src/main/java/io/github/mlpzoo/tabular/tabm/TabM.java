package io.github.mlpzoo.tabular.tabm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.TorchInit;
import io.github.mlpzoo.core.nn.embeddings.OneHotEncoding;
import io.github.mlpzoo.core.nn.embeddings.PeriodicEmbeddings;
import io.github.mlpzoo.core.nn.embeddings.PiecewiseLinearEmbeddings;
import io.github.mlpzoo.core.nn.ensemble.BatchEnsembleLinear;
import io.github.mlpzoo.core.nn.ensemble.ElementwiseAffine;
import io.github.mlpzoo.core.nn.ensemble.EnsembleView;
import io.github.mlpzoo.core.nn.ensemble.LinearEnsemble;
import io.github.mlpzoo.core.nn.ensemble.ScalingInit;
import io.github.mlpzoo.core.zoo.Configs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TabM, "a tabular DL model that makes multiple predictions" (Gorishniy et al., <i>TabM: Advancing Tabular Deep
 * Learning with Parameter-Efficient Ensembling</i>, ICLR 2025, §3; official {@code yandex-research/tabm},
 * {@code tabm.py} version 0.0.3, class {@code TabM}): k MLPs trained in parallel with shared weights.
 * <pre>
 *   h   = [emb(x_num) or x_num (flattened), one_hot(x_cat)]      (B, dIn)
 *   h   = EnsembleView(h)                                         (B, k, dIn)
 *   tabm:        n × Dropout(ReLU(BatchEnsembleLinear(h)))         (B, k, dBlock)
 *   tabm-mini:   h ⊙ r (ElementwiseAffine), then n × Dropout(ReLU(Linear(h)))  (shared linears)
 *   tabm-packed: n × Dropout(ReLU(LinearEnsemble(h)))             (k independent MLPs)
 *   y   = LinearEnsemble(h)                                       (B, k, dOut)
 * </pre>
 * Inputs: {@code x_num (B, nNum)} float32 when {@code nNum > 0}, then {@code x_cat (B, m)} integer codes when
 * there are categorical features (code {@code c_j} = "unknown", see {@link OneHotEncoding}). Output: one prediction
 * per member, {@code (B, k, dOut)}; train on the mean of member losses
 * ({@link io.github.mlpzoo.core.nn.ensemble.EnsembleLoss}) and predict with
 * {@link io.github.mlpzoo.core.nn.ensemble.EnsembleMean}. NaN in {@code x_num} is refused: the official pipeline
 * replaces NaN by 0 during preprocessing, the model never sees it.
 *
 * <p>Initialization as {@code TabM.make}: the first adapter (r of the first BatchEnsemble layer, or the mini
 * affine) random signs without embeddings and N(0, 1) with them, one value per feature chunk
 * ({@link TabMConfig#featureSizes()}); every other adapter ones; BatchEnsemble biases shared at init; shared
 * weights U(±1/√in) (mini: PyTorch's {@code nn.Linear} default); head U(±1/√dBlock).
 * Not provided: the official mode with k different batches ({@code x_num (B, k, nNum)}).
 *
 * <p>Parameters: see {@link #officialKeys} for the official {@code state_dict} name of each.
 */
public final class TabM extends DescribedBlock {

    private static final byte VERSION = 1;

    private final TabMConfig config;
    private final Block num;
    private final OneHotEncoding cat;
    private final ElementwiseAffine affine;
    private final List<Block> blocks = new ArrayList<>();
    private final LinearEnsemble output;

    /** A TabM for {@code config}. */
    public TabM(TabMConfig config) {
        super(VERSION);
        this.config = config;
        int n = config.nNum();
        switch (config.embedding()) {
            case PIECEWISE_LINEAR:
                num = addChildBlock("num", new PiecewiseLinearEmbeddings(n, config.nBins(), config.dEmbedding(), false));
                break;
            case PERIODIC:
                num = addChildBlock("num", new PeriodicEmbeddings(n, config.nFrequencies(), config.dEmbedding(),
                        config.frequencyScale(), true));
                break;
            default:
                num = null;
        }
        int[] cards = config.catCardinalities();
        cat = cards.length > 0 ? addChildBlock("cat", new OneHotEncoding(cards)) : null;
        ScalingInit first = config.embedding() == TabMConfig.Embedding.NONE ? ScalingInit.RANDOM_SIGNS
                : ScalingInit.NORMAL;
        int[] chunks = config.featureSizes();
        int dIn = config.dIn();
        int k = config.k();
        affine = config.arch() == TabMConfig.Arch.TABM_MINI
                ? addChildBlock("affine", new ElementwiseAffine(k, dIn, false, first, chunks))
                : null;
        for (int i = 0; i < config.nBlocks(); i++) {
            int in = i == 0 ? dIn : config.dBlock();
            Block layer;
            switch (config.arch()) {
                case TABM:
                    layer = BatchEnsembleLinear.builder().setInFeatures(in).setOutFeatures(config.dBlock()).setK(k)
                            .optScalingInit(i == 0 ? first : ScalingInit.ONES, ScalingInit.ONES)
                            .optFirstScalingChunks(i == 0 ? chunks : null).build();
                    break;
                case TABM_MINI:
                    layer = TorchInit.apply(Linear.builder().setUnits(config.dBlock()).build());
                    break;
                default:
                    layer = new LinearEnsemble(in, config.dBlock(), k, true);
            }
            blocks.add(addChildBlock("block", layer));
        }
        output = addChildBlock("output", new LinearEnsemble(config.dBlock(), config.dOut(), k, true));
    }

    /** This model's configuration. */
    public TabMConfig config() {
        return config;
    }

    /** The piecewise-linear embeddings, to receive the training data's bins; null without them. */
    public PiecewiseLinearEmbeddings piecewiseLinear() {
        return num instanceof PiecewiseLinearEmbeddings p ? p : null;
    }

    /** Official {@code state_dict} name → our parameter name, in the official order. */
    public static Map<String, String> officialKeys(TabMConfig config) {
        Map<String, String> keys = new LinkedHashMap<>();
        int child = 0;
        if (config.embedding() != TabMConfig.Embedding.NONE) {
            String ours = String.format("%02dnum_", ++child);
            if (config.embedding() == TabMConfig.Embedding.PIECEWISE_LINEAR) {
                keys.put("num_module.linear0.weight", ours + "linear0_weight");
                keys.put("num_module.linear0.bias", ours + "linear0_bias");
                keys.put("num_module.impl.weight", ours + "impl_weight");
                keys.put("num_module.impl.bias", ours + "impl_bias");
                keys.put("num_module.linear.weight", ours + "linear_weight");
            } else {
                keys.put("num_module.periodic.weight", ours + "periodic_weight");
                keys.put("num_module.linear.weight", ours + "linear_weight");
                keys.put("num_module.linear.bias", ours + "linear_bias");
            }
        }
        if (config.catCardinalities().length > 0) {
            ++child;
        }
        String affineKey = config.arch() == TabMConfig.Arch.TABM_MINI ? String.format("%02daffine_", ++child) : null;
        for (int i = 0; i < config.nBlocks(); i++) {
            String ours = String.format("%02dblock_", ++child);
            String off = "backbone.blocks." + i + ".0.";
            keys.put(off + "weight", ours + "weight");
            if (config.arch() == TabMConfig.Arch.TABM) {
                keys.put(off + "r", ours + "r");
                keys.put(off + "s", ours + "s");
            }
            keys.put(off + "bias", ours + "bias");
        }
        if (affineKey != null) {
            keys.put("backbone.affine.weight", affineKey + "weight");
        }
        String out = String.format("%02doutput_", ++child);
        keys.put("output.weight", out + "weight");
        keys.put("output.bias", out + "bias");
        return Collections.unmodifiableMap(keys);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        InputCheck.count("TabM", inputs, config.inputCount());
        checkShapes(inputs.getShapes());
        InputCheck.nonEmptyBatch("TabM", inputNames(), inputs.get(0).getShape());
        NDList parts = new NDList();
        int next = 0;
        if (config.nNum() > 0) {
            NDArray xNum = inputs.get(next++);
            InputCheck.float32("TabM", "x_num", xNum);
            try (NDArray nan = xNum.isNaN().any()) {
                if (nan.getBoolean()) {
                    throw new IllegalArgumentException("TabM: x_num contains NaN; impute missing values first (the "
                            + "official preprocessing replaces NaN by 0 after the quantile transform)");
                }
            }
            if (num != null) {
                NDArray e = num.forward(ps, new NDList(xNum), training).singletonOrThrow(); // (B, n, d)
                parts.add(e.reshape(e.getShape().get(0), -1)); // (B, n·d)
            } else {
                parts.add(xNum);
            }
        }
        if (cat != null) {
            parts.add(cat.forward(ps, new NDList(inputs.get(next)), training).singletonOrThrow()); // (B, Σ c_j)
        }
        NDArray x = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1); // (B, dIn)
        if (training && !config.shareTrainingBatches()) {
            long rows = x.getShape().get(0);
            if (rows % config.k() != 0) {
                throw new IllegalArgumentException(String.format("TabM with shareTrainingBatches=false trains on B·k "
                        + "rows (row i·k + j for member j); got %d rows, not a multiple of k = %d", rows, config.k()));
            }
            x = x.reshape(rows / config.k(), config.k(), x.getShape().get(1)); // (B, k, dIn), a row per member
        } else {
            x = EnsembleView.view(x, config.k()); // (B, k, dIn)
        }
        if (affine != null) {
            x = affine.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        long b = x.getShape().get(0);
        // every (B, k, dBlock) tensor this loop makes is closed as soon as the next op has consumed it (autograd
        // holds its own reference where a backward needs one), as Python frees them; DJL would otherwise keep them
        // all until the call's manager closes (tabm benchmark, batch 256: peak RSS 812 -> 520 MB inference,
        // 858 -> 792 MB training step)
        NDArray made = null;
        for (Block layer : blocks) {
            NDArray pre;
            if (layer instanceof Linear) {
                long d = x.getShape().get(2);
                NDArray flat = layer.forward(ps, new NDList(x.reshape(b * config.k(), d)), training)
                        .singletonOrThrow(); // shared weights on every member
                pre = flat.reshape(b, config.k(), config.dBlock());
                flat.close();
            } else {
                pre = layer.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, k, dBlock)
            }
            if (made != null) {
                made.close();
            }
            x = Activation.relu(pre);
            pre.close();
            if (config.dropout() > 0f && training) {
                NDArray kept = x;
                x = Dropout.dropout(kept, config.dropout(), true).singletonOrThrow();
                kept.close();
            }
            made = x;
        }
        NDList y = output.forward(ps, new NDList(x), training); // (B, k, dOut)
        if (made != null) {
            made.close();
        }
        return y;
    }

    private void checkShapes(Shape[] shapes) {
        if (shapes == null || shapes.length != config.inputCount()) {
            throw new IllegalArgumentException(String.format("TabM expects %d input(s) (%s); got %d",
                    config.inputCount(), inputNames(), shapes == null ? 0 : shapes.length));
        }
        int next = 0;
        long batch = shapes[0].dimension() > 0 ? shapes[0].get(0) : -1;
        if (config.nNum() > 0) {
            InputCheck.shape("TabM", "x_num (numerical features)", shapes[next++], InputCheck.ANY, config.nNum());
        }
        if (config.catCardinalities().length > 0) {
            Shape c = shapes[next];
            InputCheck.shape("TabM", "x_cat (categorical codes)", c, InputCheck.ANY, config.catCardinalities().length);
            if (c.get(0) != batch) {
                throw new IllegalArgumentException("TabM expects x_num and x_cat with the same batch; got "
                        + shapes[0] + " and " + c);
            }
        }
    }

    private String inputNames() {
        return config.nNum() > 0 && config.catCardinalities().length > 0 ? "x_num, x_cat"
                : config.nNum() > 0 ? "x_num" : "x_cat";
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        checkShapes(inputShapes);
        return new Shape[] {new Shape(inputShapes[0].get(0), config.k(), config.dOut())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkShapes(inputShapes);
        long b = inputShapes[0].get(0);
        int next = 0;
        if (config.nNum() > 0) {
            Shape xNum = inputShapes[next++];
            if (num != null) {
                num.initialize(manager, dataType, xNum);
            }
        }
        if (cat != null) {
            cat.initialize(manager, dataType, inputShapes[next]);
        }
        Shape h = new Shape(b, config.k(), config.dIn());
        if (affine != null) {
            affine.initialize(manager, dataType, h);
        }
        for (Block layer : blocks) {
            if (layer instanceof Linear) {
                layer.initialize(manager, dataType, new Shape(b * config.k(), h.get(2)));
            } else {
                layer.initialize(manager, dataType, h);
            }
            h = new Shape(b, config.k(), config.dBlock());
        }
        output.initialize(manager, dataType, h);
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "TabM" + config;
    }
}
