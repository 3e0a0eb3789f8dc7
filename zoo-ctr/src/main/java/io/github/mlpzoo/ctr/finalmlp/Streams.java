package io.github.mlpzoo.ctr.finalmlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.nn.InputCheck;
import io.github.mlpzoo.core.nn.ctr.LinearInit;
import io.github.mlpzoo.core.nn.ctr.Tower;

import java.util.Map;

/** What FinalMLP and DualMLP share: the flat field embedding, the input checks, the streams and their key names. */
final class Streams {

    /** FuxiCTR {@code MaskedAveragePooling}'s epsilon. */
    static final float MEAN_EPS = 1e-12f;

    private Streams() {}

    /**
     * The flat embedding (B, F·d) from a {@code FieldEmbedding} output: the categorical fields, then each history
     * mean-pooled over its real entries.
     */
    static NDArray flat(NDList emb, int s, int h, int d) {
        NDArray fields = emb.get(0);
        long b = fields.getShape().get(0);
        NDArray flat = fields.reshape(b, (long) s * d);
        if (h == 0) {
            return flat;
        }
        NDArray hist = emb.get(1);                                                     // (B, T, H, d)
        NDArray mask = emb.get(2);                                                     // (B, T)
        NDArray sum = hist.mul(mask.expandDims(-1).expandDims(-1)).sum(new int[] {1});  // (B, H, d)
        NDArray mean = sum.div(mask.sum(new int[] {1}).reshape(b, 1, 1).add(MEAN_EPS));
        return NDArrays.concat(new NDList(flat, mean.reshape(b, (long) h * d)), 1);
    }

    static void check(String block, Shape[] shapes, int s, int h) {
        int expected = h > 0 ? 2 : 1;
        if (shapes.length != expected) {
            throw new IllegalArgumentException(String.format("%s expects %d input array(s) (sparse ids%s); got %d",
                    block, expected, h > 0 ? ", history ids" : "", shapes.length));
        }
        InputCheck.shape(block, "sparse ids", shapes[0], InputCheck.ANY, s);
        InputCheck.nonEmptyBatch(block, "sparse ids", shapes[0]);
        if (h > 0) {
            InputCheck.shape(block, "history ids", shapes[1], shapes[0].get(0), h, InputCheck.ANY);
            if (shapes[1].get(2) < 1) {
                throw new IllegalArgumentException(block + " expects history ids (B, H, T) with T >= 1: axis 2 is 0; got "
                        + shapes[1]);
            }
        }
    }

    static Tower stream(int[] units, boolean bn, float dropout, int output) {
        Tower.Builder b = Tower.builder().setHidden(units).optActivation(Tower.Act.RELU).optBatchNorm(bn)
                .optDropout(dropout).optInit(LinearInit.XAVIER_NORMAL, 0f);
        if (output > 0) {
            b.optOutput(output, true, Tower.Act.NONE);
        }
        return b.build();
    }

    /**
     * Adds the keys of a FuxiCTR {@code MLP_Block} named {@code official} (hidden ReLU layers with optional BN and
     * dropout, then an optional output Linear) mapped onto our {@link Tower} {@code ours}.
     */
    static void mlpKeys(Map<String, String> keys, String official, String ours, int[] units, boolean bn,
            float dropout, boolean output) {
        int per = 2 + (bn ? 1 : 0) + (dropout > 0 ? 1 : 0);   // Linear, [BN], ReLU, [Dropout]
        int perOurs = 1 + (bn ? 1 : 0);
        for (int j = 0; j < units.length; j++) {
            String lin = String.format("%s%02dlinear_", ours, j * perOurs + 1);
            keys.put(official + ".mlp." + j * per + ".weight", lin + "weight");
            keys.put(official + ".mlp." + j * per + ".bias", lin + "bias");
            if (bn) {
                String norm = String.format("%s%02dnorm_", ours, j * perOurs + 2);
                String o = official + ".mlp." + (j * per + 1) + ".";
                keys.put(o + "weight", norm + "gamma");
                keys.put(o + "bias", norm + "beta");
                keys.put(o + "running_mean", norm + "runningMean");
                keys.put(o + "running_var", norm + "runningVar");
            }
        }
        if (output) {
            String out = String.format("%s%02doutput_", ours, units.length * perOurs + 1);
            keys.put(official + ".mlp." + units.length * per + ".weight", out + "weight");
            keys.put(official + ".mlp." + units.length * per + ".bias", out + "bias");
        }
    }
}
