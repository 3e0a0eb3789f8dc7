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

import java.util.Random;

/**
 * pykan's Example 1 with our {@code kan}: f(x, y) = exp(sin(πx) + y²) on [−1, 1]², 1000 train and 1000 test points
 * drawn uniformly (seeded), a [2, 5, 1] KAN, grid extension 3 → 5 → 10 → 20 (each finer network refitted to
 * reproduce the coarser one on the training inputs), full-batch Adam with a cosine-decayed learning rate at each
 * grid, MSE loss; prints train and test RMSE per stage. pykan's docs use LBFGS and [2, 1, 1]; this run uses Adam.
 * Run: {@code mvn -pl zoo-tabular -am test-compile} then {@code java -cp ... io.github.mlpzoo.tabular.kan.KanFunctionFit
 * [stepsPerGrid] [grids...]}.
 */
public final class KanFunctionFit {

    private KanFunctionFit() {}

    public static void main(String[] args) {
        Engines.get();
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int[] grids = {3, 5, 10, 20};
        if (args.length > 1) {
            grids = new int[args.length - 1];
            for (int i = 1; i < args.length; i++) {
                grids[i - 1] = Integer.parseInt(args[i]);
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
                fit(kan, train, m, steps, g == 0 ? 1e-2 : 3e-3);
                System.out.printf("grid %2d: train RMSE %.3e  test RMSE %.3e%n", grids[g], rmse(kan, train, m),
                        rmse(kan, test, m));
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
}
