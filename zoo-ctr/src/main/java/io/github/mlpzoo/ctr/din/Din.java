package io.github.mlpzoo.ctr.din;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
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
import io.github.mlpzoo.core.nn.ctr.AttentionPooling;
import io.github.mlpzoo.core.nn.ctr.LinearInit;
import io.github.mlpzoo.core.nn.ctr.Tower;
import io.github.mlpzoo.core.zoo.Configs;
import io.github.mlpzoo.ctr.features.FieldEmbedding;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deep Interest Network (Zhou et al., KDD 2018, §4.3, Fig. 2 right) and, with sum/mean pooling, its Embedding&amp;MLP
 * base model (Fig. 2 left), as DeepCTR-Torch builds them ({@code deepctr_torch/models/din.py}, class {@code DIN};
 * the base model is {@code models/wdl.py} with only the deep part):
 * <pre>
 *   e_i = E_i[x_i]                                 every categorical field, (B, E)
 *   q   = [e_f for f in behaviourFields]           the candidate, (B, H·E)
 *   k_t = [E'_f[h_{f,t}] for f in behaviourFields] the behaviours, (B, T, H·E); m_t = 1 unless padding
 *   u   = AttentionPooling(q, k, m)   (DIN)    or   Σ_t m_t k_t (SUM)   or   Σ_t m_t k_t / (Σ_t m_t + 1e-8) (MEAN)
 *   logit = w · DNN([e_1, ..., e_S, u, dense]) + b      DNN: ReLU layers, weights N(0, initStd); w: no bias
 * </pre>
 * Inputs: {@code sparse (B, S)} int64, {@code history (B, H, T)} int64 (0 = padding, any T, left or right padded),
 * and {@code dense (B, D)} float32 when D &gt; 0. Output: logits {@code (B, 1)} (DeepCTR applies the sigmoid in its
 * {@code PredictionLayer}; the loss applies it here). Children: {@code 01embedding} ({@link FieldEmbedding}),
 * {@code 02attention} (DIN only), then {@code dnn}, {@code linear}; direct parameter {@code bias}. Official
 * state_dict names: {@link #officialKeys}.
 */
public final class Din extends DescribedBlock {

    private static final byte VERSION = 1;
    /** DeepCTR's {@code SequencePoolingLayer} epsilon of the mean. */
    static final float MEAN_EPS = 1e-8f;

    private final DinConfig config;
    private final FieldEmbedding embedding;
    private final AttentionPooling attention;
    private final Tower dnn;
    private final Linear linear;
    private final Parameter bias;

    /** A DIN (or base model) for {@code config}. */
    public Din(DinConfig config) {
        super(VERSION);
        this.config = config;
        embedding = addChildBlock("embedding", new FieldEmbedding(config.vocab(), null, config.behaviourFields(),
                config.shareHistoryTables(), config.embeddingDim(), config.initStd(), false));
        int keyDim = config.behaviourFields().length * config.embeddingDim();
        attention = config.pooling() == DinConfig.Pooling.ATTENTION
                ? addChildBlock("attention", new AttentionPooling(keyDim, config.attentionUnits(),
                        config.attentionSoftmax(), config.initStd()))
                : null;
        dnn = addChildBlock("dnn", Tower.builder().setHidden(config.dnnUnits()).optActivation(Tower.Act.RELU)
                .optDropout(config.dropout()).optInit(LinearInit.NORMAL, config.initStd()).build());
        linear = addChildBlock("linear", LinearInit.TORCH_DEFAULT.apply(
                Linear.builder().setUnits(1).optBias(false).build(), 0f));
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optInitializer((m, s, t) -> m.zeros(s, t)).optShape(new Shape(1)).build());
    }

    /** This block's configuration. */
    public DinConfig config() {
        return config;
    }

    /** The embedding tables (for regularization). */
    public FieldEmbedding embedding() {
        return embedding;
    }

    /** The width of the DNN input: S·E + H·E + D. */
    int dnnInput() {
        return (config.vocab().length + config.behaviourFields().length) * config.embeddingDim()
                + config.denseFeatures();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        check(inputs.getShapes());
        NDArray sparse = inputs.get(0);
        long b = sparse.getShape().get(0);
        NDList emb = embedding.forward(ps, new NDList(sparse, inputs.get(1)), training);
        NDArray fields = emb.get(0);                                                      // (B, S, E)
        NDArray hist = emb.get(1);                                                        // (B, T, H, E)
        NDArray mask = emb.get(2);                                                        // (B, T)
        long t = hist.getShape().get(1);
        int keyDim = config.behaviourFields().length * config.embeddingDim();
        NDArray keys = hist.reshape(b, t, keyDim);                                        // (B, T, H·E)
        NDArray pooled;
        if (attention != null) {
            NDList q = new NDList();
            for (int f : config.behaviourFields()) {
                q.add(fields.get(new NDIndex(":, {}, :", f)));
            }
            NDArray query = NDArrays.concat(q, 1);                                       // (B, H·E)
            pooled = attention.forward(ps, new NDList(query, keys, mask), training).singletonOrThrow();
        } else {
            pooled = keys.mul(mask.expandDims(-1)).sum(new int[] {1});                   // (B, H·E)
            if (config.pooling() == DinConfig.Pooling.MEAN) {
                pooled = pooled.div(mask.sum(new int[] {1}, true).add(MEAN_EPS));
            }
        }
        NDList parts = new NDList(fields.reshape(b, (long) config.vocab().length * config.embeddingDim()), pooled);
        if (config.denseFeatures() > 0) {
            parts.add(inputs.get(2));
        }
        NDArray h = dnn.forward(ps, new NDList(NDArrays.concat(parts, 1)), training).singletonOrThrow();
        NDArray logit = linear.forward(ps, new NDList(h), training).singletonOrThrow();   // (B, 1)
        return new NDList(logit.add(ps.getValue(bias, logit.getDevice(), training)));
    }

    private void check(Shape[] shapes) {
        int expected = config.denseFeatures() > 0 ? 3 : 2;
        if (shapes.length != expected) {
            throw new IllegalArgumentException(String.format("Din expects %d input array(s) (sparse ids, history ids%s);"
                    + " got %d", expected, expected == 3 ? ", dense" : "", shapes.length));
        }
        InputCheck.shape("Din", "sparse ids", shapes[0], InputCheck.ANY, config.vocab().length);
        InputCheck.nonEmptyBatch("Din", "sparse ids", shapes[0]);
        InputCheck.shape("Din", "history ids", shapes[1], shapes[0].get(0), config.behaviourFields().length,
                InputCheck.ANY);
        if (shapes[1].get(2) < 1) {
            throw new IllegalArgumentException("Din expects history ids (B, H, T) with T >= 1 (pad an empty history "
                    + "with id 0): axis 2 is 0; got " + shapes[1]);
        }
        if (expected == 3) {
            InputCheck.shape("Din", "dense", shapes[2], shapes[0].get(0), config.denseFeatures());
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes);
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes);
        long b = inputShapes[0].get(0);
        long t = inputShapes[1].get(2);
        embedding.initialize(manager, dataType, inputShapes[0], inputShapes[1]);
        int keyDim = config.behaviourFields().length * config.embeddingDim();
        if (attention != null) {
            attention.initialize(manager, dataType, new Shape(b, keyDim), new Shape(b, t, keyDim), new Shape(b, t));
        }
        Shape in = new Shape(b, dnnInput());
        dnn.initialize(manager, dataType, in);
        linear.initialize(manager, dataType, dnn.getOutputShapes(new Shape[] {in}));
    }

    /**
     * Official DeepCTR-Torch state_dict name → our parameter name, for {@code config}. BatchNorm's
     * {@code num_batches_tracked} has no counterpart. Dice's {@code alpha} is (units, 1) there and (units) here.
     */
    public static Map<String, String> officialKeys(DinConfig config) {
        Map<String, String> keys = new LinkedHashMap<>();
        String[] names = config.names();
        for (int i = 0; i < names.length; i++) {
            keys.put("embedding_dict." + names[i] + ".weight", "01embedding_table" + i);
        }
        if (!config.shareHistoryTables()) {
            int[] bf = config.behaviourFields();
            for (int h = 0; h < bf.length; h++) {
                keys.put("embedding_dict.hist_" + names[bf[h]] + ".weight", "01embedding_hist" + h);
            }
        }
        int child = 2;
        if (config.pooling() == DinConfig.Pooling.ATTENTION) {
            String lau = String.format("%02dattention_01lau_", child);
            for (int j = 0; j < config.attentionUnits().length; j++) {
                String lin = lau + String.format("%02dlinear_", 2 * j + 1);
                String dice = lau + String.format("%02ddice_", 2 * j + 2);
                String off = "attention.local_att.dnn.";
                keys.put(off + "linears." + j + ".weight", lin + "weight");
                keys.put(off + "linears." + j + ".bias", lin + "bias");
                keys.put(off + "activation_layers." + j + ".alpha", dice + "alpha");
                keys.put(off + "activation_layers." + j + ".bn.weight", dice + "01bn_gamma");
                keys.put(off + "activation_layers." + j + ".bn.bias", dice + "01bn_beta");
                keys.put(off + "activation_layers." + j + ".bn.running_mean", dice + "01bn_runningMean");
                keys.put(off + "activation_layers." + j + ".bn.running_var", dice + "01bn_runningVar");
            }
            keys.put("attention.local_att.dense.weight", String.format("%02dattention_02score_weight", child));
            keys.put("attention.local_att.dense.bias", String.format("%02dattention_02score_bias", child));
            child++;
        }
        for (int j = 0; j < config.dnnUnits().length; j++) {
            String lin = String.format("%02ddnn_%02dlinear_", child, j + 1);
            keys.put("dnn.linears." + j + ".weight", lin + "weight");
            keys.put("dnn.linears." + j + ".bias", lin + "bias");
        }
        keys.put("dnn_linear.weight", String.format("%02dlinear_weight", child + 1));
        keys.put("out.bias", "bias");
        return keys;
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "Din" + config;
    }
}
