package io.github.mlpzoo.bench.reliability;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataDesc;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Leak and soak run (issue 11, deliverable 3; not part of the test suite): 10,000 inference calls and 2,000
 * training steps per small variant, reporting the model manager's array count and the process RSS after a
 * warm-up and at the end. Pass: array counts equal, RSS growth under 5%.
 *
 * <pre>
 * java -cp &lt;benchmarks test class path&gt; io.github.mlpzoo.bench.reliability.SoakRun [calls] [steps]
 *     [inference variants, comma separated] [training variants]
 * </pre>
 */
public final class SoakRun {

    private SoakRun() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        boolean ok = true;
        System.out.println("phase      variant        n      arrays(warm->end)  RSS MB(warm->end)  growth");
        String[] infer = args.length > 2 ? args[2].split(",") : new String[] {"mlp", "din", "patchtsmixer", "mixer_s16"};
        String[] train = args.length > 3 ? args[3].split(",") : new String[] {"mlp", "tabm", "patchtsmixer"};
        for (String name : infer) {
            ok &= name.isEmpty() || soak(name, calls, false);
        }
        for (String name : train) {
            ok &= name.isEmpty() || soak(name, steps, true);
        }
        System.out.println(ok ? "PASS" : "FAIL");
        if (!ok) {
            System.exit(1);
        }
    }

    private static boolean soak(String name, int n, boolean train) throws IOException {
        Variant<?> v = Zoo.variant(name);
        Map<String, String> tiny = TinyConfigs.of(v);
        DataDesc[] descs = v.inputs(tiny);
        int warm = Math.max(1, n / 10);
        try (Model model = Zoo.newModel(name, tiny, 1)) {
            Trainer trainer = null;
            if (train) {
                trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
                        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-4f)).build()));
            }
            long arrays0 = 0;
            long rss0 = 0;
            for (int i = 0; i < n; i++) {
                if (i == warm) {
                    System.gc();
                    arrays0 = model.getNDManager().getManagedArrays().size();
                    rss0 = rssKb();
                }
                if (i > warm && (i - warm) % Math.max(1, (n - warm) / 4) == 0) {
                    System.out.printf("           %-14s %6d   RSS %.1f MB%n", name, i, rssKb() / 1024.0);
                }
                try (NDManager m = model.getNDManager().newSubManager()) {
                    NDList in = inputs(m, descs);
                    if (train) {
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(in);
                            NDArray loss = out.singletonOrThrow().square().mean();
                            gc.backward(loss);
                        }
                        trainer.step();
                    } else {
                        model.getBlock().forward(new ParameterStore(m, false), in, false).get(0).toFloatArray();
                    }
                }
            }
            System.gc();
            long arrays1 = model.getNDManager().getManagedArrays().size();
            long rss1 = rssKb();
            double growth = 100.0 * (rss1 - rss0) / rss0;
            System.out.printf("%-10s %-14s %6d %8d -> %-8d %8.1f -> %-8.1f %+.2f%%%n", train ? "train" : "inference",
                    name, n, arrays0, arrays1, rss0 / 1024.0, rss1 / 1024.0, growth);
            if (trainer != null) {
                trainer.close();
            }
            return arrays0 == arrays1 && growth < 5.0;
        }
    }

    private static NDList inputs(NDManager m, DataDesc[] descs) {
        NDList in = new NDList();
        for (DataDesc d : descs) {
            var s = BadInputMatrixTest.with(d.getShape(), 0, 8);
            in.add(d.getDataType().isInteger() ? m.ones(s, d.getDataType()) : m.randomNormal(s));
        }
        return in;
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
