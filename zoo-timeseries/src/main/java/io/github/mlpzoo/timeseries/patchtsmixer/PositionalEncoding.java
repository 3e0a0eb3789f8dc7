package io.github.mlpzoo.timeseries.patchtsmixer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.github.mlpzoo.core.nn.DescribedBlock;

/**
 * HF's {@code PatchTSMixerPositionalEncoding}: {@code h + E} on {@code (B, C, N, d)} with E of shape (N, d), either a
 * learned table ({@code RANDOM}, parameter {@code positionEnc}, N(0, 1) init) or the fixed sine/cosine table
 * ({@code SINCOS}: {@code E[i, 2j] = sin(i·w_j)}, {@code E[i, 2j+1] = cos(i·w_j)}, {@code w_j = 10000^(-2j/d)}, then
 * {@code E = (E - mean(E)) / (10·std(E))} with the unbiased std), which is not a parameter here (made
 * per call from a Java array; HF keeps it as a frozen parameter, so its key is ignored on import).
 */
final class PositionalEncoding extends DescribedBlock {

    private static final byte VERSION = 2; // 2: the metadata holds the configuration (DescribedBlock)

    private final int n;
    private final int d;
    private final Parameter table;
    private final float[] fixed;

    PositionalEncoding(int n, int d, PatchTSMixerConfig.PositionalEncoding kind) {
        super(VERSION);
        this.n = n;
        this.d = d;
        table = kind == PatchTSMixerConfig.PositionalEncoding.RANDOM
                ? addParameter(Parameter.builder().setName("positionEnc").setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(n, d))
                        .optInitializer((m, shape, type) -> m.randomNormal(0f, 1f, shape, type)).build())
                : null;
        fixed = table == null ? sincos(n, d) : null;
    }

    /** HF's sincos table in float32. */
    static float[] sincos(int n, int d) {
        float[] e = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j += 2) {
                float w = (float) Math.exp(j * -(Math.log(10000.0) / d));
                float a = i * w;
                e[i * d + j] = (float) Math.sin(a);
                if (j + 1 < d) {
                    e[i * d + j + 1] = (float) Math.cos(a);
                }
            }
        }
        double mean = 0;
        for (float v : e) {
            mean += v;
        }
        mean /= e.length;
        double ss = 0;
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) (e[i] - mean);
            ss += (double) e[i] * e[i];
        }
        float std = (float) Math.sqrt(ss / (e.length - 1));
        for (int i = 0; i < e.length; i++) {
            e[i] = e[i] / (std * 10f);
        }
        return e;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = inputs.singletonOrThrow();
        NDArray e = table != null ? ps.getValue(table, h.getDevice(), training)
                : h.getManager().create(fixed, new Shape(n, d)).toType(h.getDataType(), false).toDevice(h.getDevice(),
                        false);
        return new NDList(h.add(e));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public String toString() {
        return "PositionalEncoding(" + n + " x " + d + ", " + (table == null ? "sincos" : "random") + ")";
    }
}
