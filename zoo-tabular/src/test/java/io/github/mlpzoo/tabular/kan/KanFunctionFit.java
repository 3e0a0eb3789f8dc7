package io.github.mlpzoo.tabular.kan;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

import io.github.mlpzoo.core.Engines;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * pykan's Example 1 with our {@code kan}: f(x, y) = exp(sin(πx) + y²) on [−1, 1]², 1000 train and 1000 test points
 * drawn uniformly (seeded), a [2, 5, 1] KAN, grid extension 3 → 5 → 10 → 20 (each finer network refitted to
 * reproduce the coarser one on the training inputs), full-batch Adam with a cosine-decayed learning rate at each
 * grid, or full-batch L-BFGS (history 10, backtracking Armijo line search from step 1; pykan's docs use LBFGS with a
 * strong-Wolfe search), MSE loss; prints train and test RMSE per stage. pykan's docs use [2, 1, 1]; we keep [2, 5, 1].
 * Run: {@code mvn -pl zoo-tabular -am test-compile} then {@code java -cp ... io.github.mlpzoo.tabular.kan.KanFunctionFit
 * [adam|lbfgs] [stepsPerGrid] [grids...]} (default Adam, 3000 steps; L-BFGS 500 iterations; grids 3 5 10 20).
 */
public final class KanFunctionFit {

    private KanFunctionFit() {}

    public static void main(String[] args) {
        Engines.get();
        int a = 0;
        boolean lbfgs = args.length > 0 && "lbfgs".equals(args[0]);
        if (args.length > 0 && ("lbfgs".equals(args[0]) || "adam".equals(args[0]))) {
            a = 1;
        }
        int steps = args.length > a ? Integer.parseInt(args[a]) : lbfgs ? 500 : 3000;
        int[] grids = {3, 5, 10, 20};
        if (args.length > a + 1) {
            grids = new int[args.length - a - 1];
            for (int i = a + 1; i < args.length; i++) {
                grids[i - a - 1] = Integer.parseInt(args[i]);
            }
        }
        Engine.getInstance().setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] train = data(m, 1000, new Random(1));
            NDArray[] test = data(m, 1000, new Random(2));
            Kan kan = Kan.of(KanConfig.of(2, 5, 1).withGridSize(grids[0]));
            kan.initialize(m, DataType.FLOAT32, new Shape(1, 2));
            kan.updateGrid(train[0]);
            for (int g = 0; g < grids.length; g++) {
                if (g > 0) {
                    kan = kan.refine(grids[g], train[0], m);
                    System.out.printf("grid %d after refit: train RMSE %.3e%n", grids[g], rmse(kan, train, m));
                }
                long t0 = System.nanoTime();
                int done = steps;
                if (lbfgs) {
                    done = lbfgs(kan, train, m, steps, 10);
                } else {
                    fit(kan, train, m, steps, g == 0 ? 1e-2 : 3e-3);
                }
                System.out.printf("grid %2d: train RMSE %.3e  test RMSE %.3e  (%s, %d steps, %.1f s)%n", grids[g],
                        rmse(kan, train, m), rmse(kan, test, m), lbfgs ? "L-BFGS" : "Adam", done,
                        (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    static NDArray[] data(NDManager m, int n, Random r) {
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            float a = (float) (r.nextDouble() * 2 - 1);
            float b = (float) (r.nextDouble() * 2 - 1);
            x[2 * i] = a;
            x[2 * i + 1] = b;
            y[i] = (float) Math.exp(Math.sin(Math.PI * a) + b * b);
        }
        return new NDArray[] {m.create(x, new Shape(n, 2)), m.create(y, new Shape(n, 1))};
    }

    static double rmse(Kan kan, NDArray[] d, NDManager m) {
        try (NDManager sub = m.newSubManager()) {
            NDArray x = d[0].reshape(d[0].getShape());
            x.attach(sub);
            NDArray p = kan.forward(new ParameterStore(sub, false), new NDList(x), false).singletonOrThrow();
            double v = Math.sqrt(p.sub(d[1]).square().mean().getFloat());
            p.close();
            return v;
        }
    }

    static void fit(Kan kan, NDArray[] d, NDManager m, int steps, double lr0) {
        Optimizer adam = Optimizer.adam().optLearningRateTracker(new Tracker() {
            private int t;

            @Override
            public float getNewValue(int numUpdate) {
                return (float) (1e-5 + 0.5 * (lr0 - 1e-5) * (1 + Math.cos(Math.PI * Math.min(numUpdate, steps)
                        / steps)));
            }
        }).build();
        for (int s = 0; s < steps; s++) {
            try (NDManager sub = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ParameterStore ps = new ParameterStore(sub, false);
                NDArray x = d[0].reshape(d[0].getShape()); // a view on the step's manager, so every op's result is
                x.attach(sub);                             // freed with it
                NDArray p = kan.forward(ps, new NDList(x), true).singletonOrThrow();
                NDArray loss = p.sub(d[1]).square().mean();
                gc.backward(loss);
                for (Pair<String, Parameter> e : kan.getParameters()) {
                    Parameter par = e.getValue();
                    if (par.requiresGradient()) {
                        NDArray w = par.getArray();
                        NDArray grad = w.getGradient();
                        grad.attach(sub); // else the gradient and Adam's temporaries pile up on the block's manager
                        adam.update(e.getKey(), w, grad);
                    }
                }
            }
        }
    }

    /** The trainable parameters of {@code kan}, in {@code getParameters()} order. */
    private static List<NDArray> trainable(Kan kan) {
        List<NDArray> ps = new ArrayList<>();
        for (Pair<String, Parameter> e : kan.getParameters()) {
            if (e.getValue().requiresGradient()) {
                ps.add(e.getValue().getArray());
            }
        }
        return ps;
    }

    /** Sets the trainable parameters from the flat vector {@code x}. */
    private static void assign(List<NDArray> ps, double[] x) {
        int o = 0;
        for (NDArray w : ps) {
            float[] v = new float[Math.toIntExact(w.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) x[o++];
            }
            w.set(v);
        }
    }

    /** The training MSE at the current parameters; its gradient is written to {@code grad}. */
    private static double lossAndGrad(Kan kan, List<NDArray> ps, NDArray[] d, NDManager m, double[] grad) {
        try (NDManager sub = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray x = d[0].reshape(d[0].getShape());
            x.attach(sub);
            NDArray p = kan.forward(new ParameterStore(sub, false), new NDList(x), true).singletonOrThrow();
            NDArray loss = p.sub(d[1]).square().mean();
            for (NDArray w : ps) { // PyTorch accumulates into .grad across backward calls; start from zero
                NDArray g0 = w.getGradient();
                g0.attach(sub);
                g0.muli(0);
            }
            gc.backward(loss);
            int o = 0;
            for (NDArray w : ps) {
                NDArray g = w.getGradient();
                g.attach(sub);
                for (float v : g.toFloatArray()) {
                    grad[o++] = v;
                }
            }
            return loss.getFloat();
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Full-batch L-BFGS on the training MSE (two-loop recursion, {@code history} pairs, initial scaling
     * s·y / y·y, backtracking Armijo search with c1 = 1e-4 from step 1); stops after {@code iters} iterations or when
     * no step decreases the loss; returns the iterations taken.
     */
    static int lbfgs(Kan kan, NDArray[] d, NDManager m, int iters, int history) {
        List<NDArray> ps = trainable(kan);
        int n = 0;
        for (NDArray w : ps) {
            n += Math.toIntExact(w.size());
        }
        double[] x = new double[n];
        int o = 0;
        for (NDArray w : ps) {
            for (float v : w.toFloatArray()) {
                x[o++] = v;
            }
        }
        double[] g = new double[n];
        double f = lossAndGrad(kan, ps, d, m, g);
        ArrayDeque<double[]> ss = new ArrayDeque<>();
        ArrayDeque<double[]> ys = new ArrayDeque<>();
        double[] gn = new double[n];
        for (int it = 0; it < iters; it++) {
            double[] q = g.clone();
            int k = ss.size();
            double[] alpha = new double[k];
            Iterator<double[]> si = ss.descendingIterator();
            Iterator<double[]> yi = ys.descendingIterator();
            for (int j = k - 1; j >= 0; j--) { // newest first
                double[] s = si.next();
                double[] y = yi.next();
                alpha[j] = dot(s, q) / dot(y, s);
                for (int i = 0; i < n; i++) {
                    q[i] -= alpha[j] * y[i];
                }
            }
            double scale = k == 0 ? Math.min(1, 1 / Math.sqrt(dot(g, g)))
                    : dot(ss.peekLast(), ys.peekLast()) / dot(ys.peekLast(), ys.peekLast());
            for (int i = 0; i < n; i++) {
                q[i] *= scale;
            }
            si = ss.iterator();
            yi = ys.iterator();
            for (int j = 0; j < k; j++) { // oldest first
                double[] s = si.next();
                double[] y = yi.next();
                double beta = dot(y, q) / dot(y, s);
                for (int i = 0; i < n; i++) {
                    q[i] += s[i] * (alpha[j] - beta);
                }
            }
            double[] dir = new double[n];
            for (int i = 0; i < n; i++) {
                dir[i] = -q[i];
            }
            double slope = dot(g, dir);
            if (!(slope < 0)) { // not a descent direction: restart from steepest descent
                ss.clear();
                ys.clear();
                for (int i = 0; i < n; i++) {
                    dir[i] = -g[i];
                }
                slope = -dot(g, g);
            }
            double t = 1;
            double[] xn = new double[n];
            double fn = Double.NaN;
            boolean accepted = false;
            for (int ls = 0; ls < 30; ls++) {
                for (int i = 0; i < n; i++) {
                    xn[i] = x[i] + t * dir[i];
                }
                assign(ps, xn);
                fn = lossAndGrad(kan, ps, d, m, gn);
                if (fn <= f + 1e-4 * t * slope) {
                    accepted = true;
                    break;
                }
                t *= 0.5;
            }
            if (Boolean.getBoolean("kan.debug")) {
                System.out.printf("it %d f %.6e fn %.6e t %.3e slope %.3e%n", it, f, fn, t, slope);
            }
            if (!accepted) {
                assign(ps, x);
                return it;
            }
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = xn[i] - x[i];
                y[i] = gn[i] - g[i];
            }
            if (dot(s, y) > 1e-12) {
                ss.addLast(s);
                ys.addLast(y);
                if (ss.size() > history) {
                    ss.removeFirst();
                    ys.removeFirst();
                }
            }
            System.arraycopy(xn, 0, x, 0, n);
            System.arraycopy(gn, 0, g, 0, n);
            f = fn;
        }
        return iters;
    }
}
