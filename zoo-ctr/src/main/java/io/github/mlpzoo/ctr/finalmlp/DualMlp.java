package io.github.mlpzoo.ctr.finalmlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.ctr.Tower;
import io.github.mlpzoo.core.zoo.Configs;
import io.github.mlpzoo.ctr.features.FieldEmbedding;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DualMLP, FinalMLP's baseline (Mao et al., AAAI 2023, §2; FuxiCTR {@code model_zoo/FinalMLP/src/DualMLP.py}): two
 * independent MLPs, each ending in Linear(1), over the same flat field embedding, their logits summed:
 * {@code logit = MLP_1(e) + MLP_2(e)}. Embedding, init, inputs and output as {@link FinalMlp}. Children:
 * {@code 01embedding}, {@code 02mlp1}, {@code 03mlp2}.
 */
public final class DualMlp extends DescribedBlock {

    private static final byte VERSION = 1;

    private final DualMlpConfig config;
    private final FieldEmbedding embedding;
    private final Tower mlp1;
    private final Tower mlp2;

    /** A DualMLP for {@code config}. */
    public DualMlp(DualMlpConfig config) {
        super(VERSION);
        this.config = config;
        embedding = addChildBlock("embedding", new FieldEmbedding(config.vocab(), null, config.historyFields(), true,
                config.embeddingDim(), FinalMlp.EMBEDDING_STD, true));
        mlp1 = addChildBlock("mlp1", Streams.stream(config.mlp1Units(), config.batchNorm1(), config.dropout1(), 1));
        mlp2 = addChildBlock("mlp2", Streams.stream(config.mlp2Units(), config.batchNorm2(), config.dropout2(), 1));
    }

    /** This block's configuration. */
    public DualMlpConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        int s = config.vocab().length;
        int h = config.historyFields().length;
        Streams.check("DualMlp", inputs.getShapes(), s, h);
        NDArray flat = Streams.flat(embedding.forward(ps, inputs, training), s, h, config.embeddingDim());
        NDArray y1 = mlp1.forward(ps, new NDList(flat), training).singletonOrThrow();
        NDArray y2 = mlp2.forward(ps, new NDList(flat), training).singletonOrThrow();
        return new NDList(y1.add(y2));                                                    // (B, 1)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Streams.check("DualMlp", inputShapes, config.vocab().length, config.historyFields().length);
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Streams.check("DualMlp", inputShapes, config.vocab().length, config.historyFields().length);
        Shape flat = new Shape(inputShapes[0].get(0),
                (long) (config.vocab().length + config.historyFields().length) * config.embeddingDim());
        embedding.initialize(manager, dataType, inputShapes);
        mlp1.initialize(manager, dataType, flat);
        mlp2.initialize(manager, dataType, flat);
    }

    /** Official FuxiCTR state_dict name → our parameter name, for {@code config}. */
    public static Map<String, String> officialKeys(DualMlpConfig config) {
        Map<String, String> keys = new LinkedHashMap<>();
        String[] names = config.names();
        for (int i = 0; i < names.length; i++) {
            keys.put("embedding_layer.embedding_layer.embedding_layers." + names[i] + ".weight", "01embedding_table" + i);
        }
        Streams.mlpKeys(keys, "mlp1", "02mlp1_", config.mlp1Units(), config.batchNorm1(), config.dropout1(), true);
        Streams.mlpKeys(keys, "mlp2", "03mlp2_", config.mlp2Units(), config.batchNorm2(), config.dropout2(), true);
        return keys;
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "DualMlp" + config;
    }
}
