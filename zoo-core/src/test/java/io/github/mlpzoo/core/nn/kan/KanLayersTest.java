package io.github.mlpzoo.core.nn.kan;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.github.mlpzoo.core.weights.StateDict;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

class KanLayersTest {

    static Path testData() {
        String p = System.getProperty("zoo.testdata");
        if (p == null) {
            throw new IllegalStateException("system property zoo.testdata (the repo's src-test-data) is not set");
        }
        return Path.of(p);
    }

    /** Cubic B-splines on a uniform grid of 5 intervals sum to 1 everywhere inside [g_k, g_{G+k}) = [-1, 1). */
    @Test
    void bSplinesArePartitionOfUnity() {
        Engines.get();
        double[] g = BSplineBasis.uniformGrid(5, 3, -1, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 101;
            float[] xs = new float[n * 2];
            for (int i = 0; i < n; i++) {
                xs[2 * i] = -1f + 1.98f * i / (n - 1);
                xs[2 * i + 1] = -0.999f + 1.99f * i / (n - 1);
            }
            float[] grid = new float[2 * g.length];
            for (int j = 0; j < g.length; j++) {
                grid[j] = (float) g[j];
                grid[g.length + j] = (float) g[j];
            }
            NDArray b = BSplineBasis.of(m.create(xs, new Shape(n, 2)), m.create(grid, new Shape(2, g.length)), 3);
            assertEquals(new Shape(n, 2, 8), b.getShape());
            float[] sums = b.sum(new int[] {2}).toFloatArray();
            float[] v = b.toFloatArray();
            for (int i = 0; i < sums.length; i++) {
                assertEquals(1.0, sums[i], 1e-5, "sum of bases at point " + i);
            }
            for (float f : v) {
                assertTrue(f >= -1e-7, "bases are non-negative");
            }
            // the NDArray form equals the double form, and the cubic basis centred on a knot is 2/3 there
            double[] d = BSplineBasis.of(xs[2 * 37], g, 3);
            for (int c = 0; c < 8; c++) {
                assertEquals(d[c], v[(37 * 2) * 8 + c], 1e-6);
            }
            double[] atKnot = BSplineBasis.of(g[5], g, 3);
            assertEquals(2.0 / 3, atKnot[3], 1e-12); // B_3 spans [g_3, g_7), centred on g_5
            assertEquals(1.0 / 6, atKnot[2], 1e-12);
            assertEquals(1.0 / 6, atKnot[4], 1e-12);
        }
    }

    /**
     * On a non-uniform sorted grid (as after a grid update), the NDArray bases and their gradient in x match the
     * double form and its central difference: the forward's rewrite (shared differences, order-0 indicator from
     * sign changes) keeps the recursion's values and derivative.
     */
    @Test
    void bSplineValuesAndGradientOnNonUniformGrid() {
        Engines.get();
        double[] g = {-1.3, -1.1, -0.95, -0.5, -0.2, 0.05, 0.3, 0.8, 0.9, 1.2, 1.5};
        float[] grid = new float[g.length];
        for (int j = 0; j < g.length; j++) {
            grid[j] = (float) g[j];
        }
        float[] xs = {-0.97f, -0.61f, -0.33f, 0.01f, 0.12f, 0.47f, 0.77f, 0.85f};
        float[] w = {0.3f, -1.2f, 0.7f, 2.0f, -0.4f, 1.1f, 0.9f};
        try (NDManager m = NDManager.newBaseManager();
                ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray x = m.create(xs, new Shape(xs.length, 1));
            x.setRequiresGradient(true);
            NDArray b = BSplineBasis.of(x, m.create(grid, new Shape(1, g.length)), 3); // (8, 1, 7)
            assertEquals(new Shape(xs.length, 1, 7), b.getShape());
            gc.backward(b.mul(m.create(w, new Shape(1, 1, 7))).sum());
            float[] v = b.toFloatArray();
            float[] dx = x.getGradient().toFloatArray();
            for (int i = 0; i < xs.length; i++) {
                double[] d = BSplineBasis.of(xs[i], g, 3);
                double h = 1e-5;
                double[] up = BSplineBasis.of(xs[i] + h, g, 3);
                double[] down = BSplineBasis.of(xs[i] - h, g, 3);
                double slope = 0;
                for (int c = 0; c < 7; c++) {
                    assertEquals(d[c], v[i * 7 + c], 1e-6, "basis " + c + " at x = " + xs[i]);
                    slope += w[c] * (up[c] - down[c]) / (2 * h);
                }
                assertEquals(slope, dx[i], 1e-4 * Math.max(1, Math.abs(slope)), "d/dx at x = " + xs[i]);
            }
        }
    }

    /** Rational values against the kernel formula, including negative x and distinct per-group denominators. */
    @Test
    void groupRationalFollowsKernelFormula() {
        Engines.get();
        double[] a = {0.1, -0.5, 0.3, 0.2, -0.05, 0.01};
        double[][] b = {{0.7, -0.2, 0.3, -0.1}, {-0.4, 0.5, -0.05, 0.2}};
        try (NDManager m = NDManager.newBaseManager()) {
            GroupRational r = new GroupRational(4, 2, GroupRational.Init.SWISH);
            r.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            for (Pair<String, Parameter> p : r.getParameters()) {
                if (p.getKey().equals("weightNumerator")) {
                    p.getValue().getArray().set(toFloat(a));
                } else {
                    p.getValue().getArray().set(new float[] {0.7f, -0.2f, 0.3f, -0.1f, -0.4f, 0.5f, -0.05f, 0.2f});
                }
            }
            float[] x = {-2.5f, -1f, -0.3f, 0.4f, 1.5f, -3f, 2f, 0.9f};
            NDArray y = r.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(2, 4))), false)
                    .singletonOrThrow();
            float[] inference = y.toFloatArray(); // no autograd: the in-place path
            float[] recorded;
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray input = m.create(x, new Shape(2, 4));
                input.setRequiresGradient(true); // autograd records: the differentiable path
                recorded = r.forward(new ParameterStore(m, false), new NDList(input), true).singletonOrThrow()
                        .toFloatArray();
            }
            // input without a gradient but trainable coefficients (a rational on raw data): still the recorded path,
            // and the coefficients get gradients
            for (Pair<String, Parameter> p : r.getParameters()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray out = r.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(2, 4))), true)
                        .singletonOrThrow();
                org.junit.jupiter.api.Assertions.assertArrayEquals(recorded, out.toFloatArray(), 1e-6f);
                gc.backward(out.sum());
            }
            for (Pair<String, Parameter> p : r.getParameters()) {
                float[] g = p.getValue().getArray().getGradient().toFloatArray();
                org.junit.jupiter.api.Assertions.assertTrue(java.util.Arrays.stream(toDouble(g)).anyMatch(v -> v != 0),
                        p.getKey() + " gets a gradient");
            }
            for (float[] got : new float[][] {inference, recorded}) {
                for (int i = 0; i < x.length; i++) {
                    int group = (i % 4) / 2;
                    double p = 0;
                    double q = 1;
                    for (int j = 0; j <= 5; j++) {
                        p += a[j] * Math.pow(x[i], j);
                    }
                    for (int j = 1; j <= 4; j++) {
                        q += Math.abs(b[group][j - 1]) * Math.pow(Math.abs(x[i]), j);
                    }
                    assertEquals(p / q, got[i], 1e-5, (got == inference ? "inference" : "autograd") + ", element " + i);
                }
            }
        }
        // the official swish and identity fits under the kernel formula
        for (double x = -3; x <= 3; x += 0.25) {
            assertEquals(x / (1 + Math.exp(-x)), GroupRational.Init.SWISH.apply(x), 2e-3, "swish at " + x);
            assertEquals(x, GroupRational.Init.IDENTITY.apply(x), 1e-12);
        }
    }

    /**
     * efficient-kan's update_grid on KANLinear(3, 2) with perturbed weights and 50 samples of different spreads
     * ({@code src-test-data/kan/update_grid.safetensors}, made with efficient-kan 7b6ce1c, torch 1.13.1; see the
     * README there): the new grid and spline weights, and the outputs before and after, equal the official ones.
     */
    @Test
    void gridUpdateMatchesEfficientKan() throws Exception {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = StateDict.read(testData().resolve("kan/update_grid.safetensors"), m);
            BSplineKanLinear layer = BSplineKanLinear.builder().setInFeatures(3).setOutFeatures(2).build();
            layer.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            load(layer, t, "before.");
            NDArray x = t.get("x");
            ParameterStore ps = new ParameterStore(m, false);
            NDArray y0 = layer.forward(ps, new NDList(x), false).singletonOrThrow();
            assertTrue(maxAbs(y0, t.get("y_before")) < 1e-5, "output before: " + maxAbs(y0, t.get("y_before")));
            layer.updateGrid(x, 0.01);
            Map<String, Parameter> p = params(layer);
            assertTrue(maxAbs(p.get("grid").getArray(), t.get("after.grid")) < 1e-6, "grid");
            double dw = maxAbs(p.get("splineWeight").getArray(), t.get("after.spline_weight"));
            assertTrue(dw < 1e-4, "spline weight after update: " + dw);
            NDArray y1 = layer.forward(ps, new NDList(x), false).singletonOrThrow();
            assertTrue(maxAbs(y1, t.get("y_after")) < 1e-4, "output after: " + maxAbs(y1, t.get("y_after")));
        }
    }

    /** Grid extension keeps the function on the samples (the scaler divided out, unlike update_grid). */
    @Test
    void refitFromKeepsTheFunction() {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            BSplineKanLinear coarse = BSplineKanLinear.builder().setInFeatures(2).setOutFeatures(3).optScaleNoise(1)
                    .build();
            coarse.initialize(m, DataType.FLOAT32, new Shape(1, 2));
            BSplineKanLinear fine = coarse.toBuilder().optGridSize(12).build();
            fine.initialize(m, DataType.FLOAT32, new Shape(1, 2));
            NDArray x = m.randomUniform(-1f, 1f, new Shape(400, 2));
            fine.refitFrom(coarse, x, 0.01);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray a = coarse.forward(ps, new NDList(x), false).singletonOrThrow();
            NDArray b = fine.forward(ps, new NDList(x), false).singletonOrThrow();
            // a cubic spline on 5 intervals lies in the space of cubic splines on a finer grid only for nested knots;
            // the adaptive grid is not nested, so the refit is close but not exact
            assertTrue(maxAbs(a, b) < 2e-3, "refit error " + maxAbs(a, b));
        }
    }

    /**
     * S-KAN with Fourier (F = 1) and polynomial (n = 1) spaces on one edge: coefficients (1, 2) for cos x, sin x and
     * (0.5, −1) for T_0, T_1(tanh x); equal selection logits give the average of the two, a frozen selection the
     * chosen one alone.
     */
    @Test
    void selectableKanMixesSpaces() {
        Engines.get();
        try (NDManager m = NDManager.newBaseManager()) {
            SelectableKanLinear l = new SelectableKanLinear(1, 1,
                    java.util.EnumSet.of(SelectableKanLinear.Space.FOURIER, SelectableKanLinear.Space.POLYNOMIAL), 3, 1,
                    1);
            l.initialize(m, DataType.FLOAT32, new Shape(1, 1));
            Map<String, Parameter> p = params(l);
            p.get("coefFourier").getArray().set(new float[] {1, 2});
            p.get("coefPolynomial").getArray().set(new float[] {0.5f, -1});
            double x = 0.7;
            double fourier = Math.cos(x) + 2 * Math.sin(x);
            double poly = 0.5 - Math.tanh(x);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray in = m.create(new float[] {(float) x}, new Shape(1, 1));
            assertEquals(0.5 * (fourier + poly), l.forward(ps, new NDList(in), false).singletonOrThrow().getFloat(0, 0),
                    1e-5);
            p.get("selection").getArray().set(new float[] {0.1f, 0.3f});
            assertEquals(1, l.selected()[0][0]);
            l.freezeSelection();
            assertEquals(poly, l.forward(ps, new NDList(in), false).singletonOrThrow().getFloat(0, 0), 1e-5);
        }
    }

    @Test
    void contracts() {
        BlockContract.of(() -> new SelectableKanLinear(3, 2, java.util.EnumSet.allOf(SelectableKanLinear.Space.class),
                4, 2, 3), new Shape(5, 3)).check();
        BlockContract.of(() -> BSplineKanLinear.builder().setInFeatures(3).setOutFeatures(4).build(), new Shape(5, 3))
                .withFreeRank(0).check();
        BlockContract.of(() -> new GroupRational(8, 4, GroupRational.Init.SWISH), new Shape(2, 3, 8))
                .withFreeAxes(0, 1).withFreeRank(0).check();
    }

    static void load(ai.djl.nn.Block block, Map<String, NDArray> t, String prefix) {
        Map<String, Parameter> p = params(block);
        p.get("baseWeight").getArray().set(t.get(prefix + "base_weight").toFloatArray());
        p.get("splineWeight").getArray().set(t.get(prefix + "spline_weight").toFloatArray());
        p.get("splineScaler").getArray().set(t.get(prefix + "spline_scaler").toFloatArray());
        p.get("grid").getArray().set(t.get(prefix + "grid").toFloatArray());
    }

    static Map<String, Parameter> params(ai.djl.nn.Block block) {
        Map<String, Parameter> out = new java.util.HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.put(p.getKey(), p.getValue());
        }
        return out;
    }

    static double maxAbs(NDArray a, NDArray b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        assertEquals(y.length, x.length, "sizes");
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            d = Math.max(d, Math.abs(x[i] - y[i]));
        }
        return d;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
