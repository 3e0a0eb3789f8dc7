package io.github.mlpzoo.core.nn.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.testkit.BlockContract;

import org.junit.jupiter.api.Test;

class HeadsTest {

    /**
     * With the linear layer giving a = (1, 0.5i) (N = 1) the autocorrelation is c_0 = 1.25, c_1 = 0.5i·conj(1) = 0.5i,
     * so p(x) = 0.5 + Re(0.4i·e^{iπx}) = 0.5 − 0.4 sin(πx), normalised over the bin centres.
     */
    @Test
    void fourierHeadOnHandComputedValues() {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            FourierHead head = new FourierHead(1, 4, 1, 0.5f);
            head.initialize(m, DataType.FLOAT32, new Shape(1, 1));
            for (Pair<String, Parameter> p : head.getParameters()) {
                // out = W·1 + b with W = (1, 0, 0, 0.5)ᵀ: ar = (1, 0), ai = (0, 0.5)
                p.getValue().getArray().set(p.getKey().endsWith("weight") ? new float[] {1, 0, 0, 0.5f}
                        : new float[] {0, 0, 0, 0});
            }
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.create(new float[] {1f}, new Shape(1, 1));
            float[] y = head.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            double[] centers = FourierHead.binCenters(4);
            double[] p = new double[4];
            double sum = 0;
            for (int b = 0; b < 4; b++) {
                p[b] = 0.5 - 0.4 * Math.sin(Math.PI * centers[b]);
                sum += p[b];
            }
            for (int b = 0; b < 4; b++) {
                assertEquals(Math.log(p[b] / sum + 1e-5), y[b], 1e-5, "bin " + b);
            }
            // regularizer: γ·2·mean Σ_k 2π²k²|c_k|² = 0.5·2·(2π²·0.25)
            float reg = head.regularization(ps, x, false).getFloat();
            assertEquals(0.5 * 2 * 2 * Math.PI * Math.PI * 0.25, reg, 1e-4);
        }
    }

    @Test
    void matryoshkaHeadSlicesPrefixes() {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            MatryoshkaHead e = new MatryoshkaHead(new int[] {1, 3}, 2, true);
            e.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            for (Pair<String, Parameter> p : e.getParameters()) {
                p.getValue().getArray().set(p.getKey().endsWith("weight") ? new float[] {1, 2, 3, 4, 5, 6}
                        : new float[] {0.5f, -0.5f});
            }
            NDList out = e.forward(new ParameterStore(m, false),
                    new NDList(m.create(new float[] {1, 1, 1}, new Shape(1, 3))), false);
            assertEquals(2, out.size());
            assertEquals(1.5f, out.get(0).getFloat(0, 0), 1e-6); // 1·1 + 0.5
            assertEquals(3.5f, out.get(0).getFloat(0, 1), 1e-6); // 4·1 − 0.5
            assertEquals(6.5f, out.get(1).getFloat(0, 0), 1e-6); // 1+2+3 + 0.5
            NDArray labels = m.create(new float[] {1});
            NDArray loss = new MatryoshkaLoss().evaluate(new NDList(labels), out);
            double ce0 = Math.log(Math.exp(1.5) + Math.exp(3.5)) - 3.5;
            double ce1 = Math.log(Math.exp(6.5) + Math.exp(14.5)) - 14.5;
            assertEquals(ce0 + ce1, loss.getFloat(), 1e-5);
        }
        assertThrows(IllegalArgumentException.class, () -> new MatryoshkaHead(new int[] {4, 4}, 2, false));
    }

    @Test
    void contracts() {
        BlockContract.of(() -> new FourierHead(5, 7, 3, 0f), new Shape(2, 5)).withFreeRank(0).check();
        BlockContract.of(() -> new MatryoshkaHead(new int[] {2, 4, 8}, 3, false), new Shape(2, 8)).check();
        BlockContract.of(() -> new MatryoshkaHead(new int[] {2, 4, 8}, 3, true), new Shape(2, 8)).check();
        assertTrue(FourierHead.binCenters(50)[0] < -0.97);
    }
}
