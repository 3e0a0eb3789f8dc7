package io.github.mlpzoo.core.nn.glu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.nn.tokenmix.SpatialGatingUnit;
import io.github.mlpzoo.core.testkit.BlockContract;

import org.junit.jupiter.api.Test;

class GatedMlpTest {

    /**
     * in = 1, width = 1, out = 1, fc1 = [[1], [2]] with bias [0, 0.5], fc2 = [[3]] with bias 0.25: for x = 1 the value
     * half is a = 1 and the gate half b = 2.5, so y = 3 · a · σ(b) + 0.25.
     */
    @Test
    void gluFamilyOnHandComputedValues() {
        Engines.get();
        double b = 2.5;
        double gelu = 0.5 * b * (1 + erf(b / Math.sqrt(2)));
        double sigmoid = 1 / (1 + Math.exp(-b));
        double[] gates = {sigmoid, b, gelu, b * sigmoid, b};
        GatedMlp.Glu[] kinds = GatedMlp.Glu.values();
        try (NDManager m = NDManager.newBaseManager()) {
            for (int k = 0; k < kinds.length; k++) {
                GatedMlp mlp = GatedMlp.glu(kinds[k], 1, 1, 1, 0f);
                mlp.initialize(m, DataType.FLOAT32, new Shape(1, 1));
                float[][] values = {{1, 2}, {0, 0.5f}, {3}, {0.25f}};
                int i = 0;
                for (Pair<String, Parameter> p : mlp.getParameters()) {
                    p.getValue().getArray().set(values[i++]);
                }
                NDArray y = mlp.forward(new ParameterStore(m, false), new NDList(m.create(new float[] {1f},
                        new Shape(1, 1))), false).singletonOrThrow();
                assertEquals(3 * gates[k] + 0.25, y.getFloat(0, 0), 1e-5, kinds[k].toString());
            }
        }
    }

    private static double erf(double x) {
        // Abramowitz-Stegun 7.1.26 is too coarse for 1e-5; integrate exp(-t²) by Simpson's rule instead
        int n = 2000;
        double h = x / n;
        double s = 1 + Math.exp(-x * x);
        for (int i = 1; i < n; i++) {
            s += (i % 2 == 1 ? 4 : 2) * Math.exp(-(i * h) * (i * h));
        }
        return 2 / Math.sqrt(Math.PI) * s * h / 3;
    }

    @Test
    void contracts() {
        for (GatedMlp.Glu kind : GatedMlp.Glu.values()) {
            BlockContract.of(() -> GatedMlp.glu(kind, 3, 4, 2, 0.1f), new Shape(2, 5, 3)).withFreeAxes(0, 1).withFreeRank(0)
                    .check();
        }
        BlockContract.of(() -> GatedMlp.withGate(new SpatialGatingUnit(5, 4), true, 3, 4, 3, 0.1f),
                new Shape(2, 5, 3)).check();
    }
}
