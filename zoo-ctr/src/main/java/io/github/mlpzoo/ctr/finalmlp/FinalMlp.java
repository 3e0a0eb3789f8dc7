package io.github.mlpzoo.ctr.finalmlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;
import io.github.mlpzoo.core.nn.ctr.BilinearFusion;
import io.github.mlpzoo.core.nn.ctr.FeatureSelectionGate;
import io.github.mlpzoo.core.nn.ctr.Tower;
import io.github.mlpzoo.core.zoo.Configs;
import io.github.mlpzoo.ctr.features.FieldEmbedding;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FinalMLP (Mao et al., AAAI 2023, §3, Fig. 1; FuxiCTR {@code model_zoo/FinalMLP/src/FinalMLP.py}):
 * <pre>
 *   e   = [E_1[x_1], ..., E_S[x_S], mean_t E_f[h_{f,t}] ...]      flat field embedding, (B, F·d)
 *   x_1 = e ⊙ 2σ(MLP_g1(c_1)),  x_2 = e ⊙ 2σ(MLP_g2(c_2))           feature selection ({@link FeatureSelectionGate})
 *   logit = BilinearFusion(MLP_1(x_1), MLP_2(x_2))                   {@link BilinearFusion}, h heads
 * </pre>
 * where a context {@code c_s} is the flat embedding of the {@code fs{s}Context} fields in tables of its own, or a
 * learned bias when empty. Embeddings N(0, 1e-4) with a zero padding row, every Linear xavier_normal with zero bias
 * (FuxiCTR's {@code reset_parameters}). Inputs: {@code sparse (B, S)} int64 and, with histories,
 * {@code history (B, H, T)} int64 (0 = padding). Output: logits {@code (B, 1)} (FuxiCTR applies the sigmoid in the
 * model; the loss applies it here). Children, in order: {@code embedding}, {@code mlp1}, {@code mlp2}, then, with
 * feature selection, [{@code ctx1}] {@code gate1} [{@code ctx2}] {@code gate2}, then {@code fusion}.
 */
public final class FinalMlp extends DescribedBlock {

    private static final byte VERSION = 1;
    static final float EMBEDDING_STD = 1e-4f;

    private final FinalMlpConfig config;
    private final FieldEmbedding embedding;
    private final Tower mlp1;
    private final Tower mlp2;
    private final FieldEmbedding ctx1;
    private final FeatureSelectionGate gate1;
    private final FieldEmbedding ctx2;
    private final FeatureSelectionGate gate2;
    private final BilinearFusion fusion;

    /** A FinalMLP for {@code config}. */
    public FinalMlp(FinalMlpConfig config) {
        super(VERSION);
        this.config = config;
        int d = config.embeddingDim();
        int featureDim = config.numFields() * d;
        embedding = addChildBlock("embedding", new FieldEmbedding(config.vocab(), null, config.historyFields(), true, d,
                EMBEDDING_STD, true));
        mlp1 = addChildBlock("mlp1", Streams.stream(config.mlp1Units(), config.batchNorm1(), config.dropout1(), 0));
        mlp2 = addChildBlock("mlp2", Streams.stream(config.mlp2Units(), config.batchNorm2(), config.dropout2(), 0));
        if (config.useFs()) {
            ctx1 = context(config.fs1Context(), "ctx1");
            gate1 = addChildBlock("gate1", new FeatureSelectionGate(featureDim, config.fs1Context().length * d, d,
                    config.fsUnits()));
            ctx2 = context(config.fs2Context(), "ctx2");
            gate2 = addChildBlock("gate2", new FeatureSelectionGate(featureDim, config.fs2Context().length * d, d,
                    config.fsUnits()));
        } else {
            ctx1 = null;
            gate1 = null;
            ctx2 = null;
            gate2 = null;
        }
        int[] u1 = config.mlp1Units();
        int[] u2 = config.mlp2Units();
        fusion = addChildBlock("fusion", new BilinearFusion(u1[u1.length - 1], u2[u2.length - 1], config.numHeads(), 1));
    }

    private FieldEmbedding context(int[] fields, String name) {
        if (fields.length == 0) {
            return null;
        }
        int[] rows = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            rows[i] = config.vocab()[fields[i]];
        }
        return addChildBlock(name, new FieldEmbedding(rows, fields, new int[0], true, config.embeddingDim(),
                EMBEDDING_STD, true));
    }

    /** This block's configuration. */
    public FinalMlpConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        int s = config.vocab().length;
        int h = config.historyFields().length;
        Streams.check("FinalMlp", inputs.getShapes(), s, h);
        NDArray sparse = inputs.get(0);
        long b = sparse.getShape().get(0);
        NDArray flat = Streams.flat(embedding.forward(ps, inputs, training), s, h, config.embeddingDim());
        NDArray f1 = flat;
        NDArray f2 = flat;
        if (config.useFs()) {
            f1 = gate(ps, gate1, ctx1, flat, sparse, b, training);
            f2 = gate(ps, gate2, ctx2, flat, sparse, b, training);
        }
        NDArray o1 = mlp1.forward(ps, new NDList(f1), training).singletonOrThrow();
        NDArray o2 = mlp2.forward(ps, new NDList(f2), training).singletonOrThrow();
        return fusion.forward(ps, new NDList(o1, o2), training);                        // (B, 1)
    }

    private static NDArray gate(ParameterStore ps, FeatureSelectionGate gate, FieldEmbedding ctx, NDArray flat,
            NDArray sparse, long b, boolean training) {
        if (ctx == null) {
            return gate.forward(ps, new NDList(flat), training).singletonOrThrow();
        }
        NDArray c = ctx.forward(ps, new NDList(sparse), training).singletonOrThrow();   // (B, |ctx|, d)
        return gate.forward(ps, new NDList(flat, c.reshape(b, -1)), training).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Streams.check("FinalMlp", inputShapes, config.vocab().length, config.historyFields().length);
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Streams.check("FinalMlp", inputShapes, config.vocab().length, config.historyFields().length);
        long b = inputShapes[0].get(0);
        int d = config.embeddingDim();
        Shape flat = new Shape(b, (long) config.numFields() * d);
        embedding.initialize(manager, dataType, inputShapes);
        mlp1.initialize(manager, dataType, flat);
        mlp2.initialize(manager, dataType, flat);
        if (config.useFs()) {
            init(manager, dataType, ctx1, gate1, config.fs1Context().length, flat, inputShapes[0]);
            init(manager, dataType, ctx2, gate2, config.fs2Context().length, flat, inputShapes[0]);
        }
        fusion.initialize(manager, dataType, mlp1.getOutputShapes(new Shape[] {flat})[0],
                mlp2.getOutputShapes(new Shape[] {flat})[0]);
    }

    private void init(NDManager manager, DataType dataType, FieldEmbedding ctx, FeatureSelectionGate gate, int n,
            Shape flat, Shape sparse) {
        if (ctx == null) {
            gate.initialize(manager, dataType, flat);
        } else {
            ctx.initialize(manager, dataType, sparse);
            gate.initialize(manager, dataType, flat, new Shape(flat.get(0), (long) n * config.embeddingDim()));
        }
    }

    /** Official FuxiCTR state_dict name → our parameter name, for {@code config}. */
    public static Map<String, String> officialKeys(FinalMlpConfig config) {
        Map<String, String> keys = new LinkedHashMap<>();
        String[] names = config.names();
        for (int i = 0; i < names.length; i++) {
            keys.put("embedding_layer.embedding_layer.embedding_layers." + names[i] + ".weight", "01embedding_table" + i);
        }
        Streams.mlpKeys(keys, "mlp1", "02mlp1_", config.mlp1Units(), config.batchNorm1(), config.dropout1(), false);
        Streams.mlpKeys(keys, "mlp2", "03mlp2_", config.mlp2Units(), config.batchNorm2(), config.dropout2(), false);
        int child = 4;
        if (config.useFs()) {
            for (int s = 1; s <= 2; s++) {
                int[] ctx = s == 1 ? config.fs1Context() : config.fs2Context();
                String fs = "fs_module.fs" + s;
                if (ctx.length > 0) {
                    for (int i = 0; i < ctx.length; i++) {
                        keys.put(fs + "_ctx_emb.embedding_layer.embedding_layers." + names[ctx[i]] + ".weight",
                                String.format("%02dctx%d_table%d", child, s, i));
                    }
                    child++;
                }
                String gate = String.format("%02dgate%d_", child++, s);
                if (ctx.length == 0) {
                    keys.put(fs + "_ctx_bias", gate + "ctxBias");
                }
                Streams.mlpKeys(keys, fs + "_gate", gate + "01gate_", config.fsUnits(), false, 0f, true);
            }
        }
        String fusion = String.format("%02dfusion_", child);
        keys.put("fusion_module.w_x.weight", fusion + "01wx_weight");
        keys.put("fusion_module.w_x.bias", fusion + "01wx_bias");
        keys.put("fusion_module.w_y.weight", fusion + "02wy_weight");
        keys.put("fusion_module.w_y.bias", fusion + "02wy_bias");
        keys.put("fusion_module.w_xy", fusion + "wxy");
        return keys;
    }

    @Override
    protected String describe() {
        return Configs.describeWeights(config);
    }

    @Override
    public String toString() {
        return "FinalMlp" + config;
    }
}
