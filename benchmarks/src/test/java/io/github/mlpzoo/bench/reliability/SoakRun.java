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
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

/**
 * Leak and soak run (issue 11, deliverable 3; not part of the test suite): {@code calls} inference calls and
 * {@code steps} Adam training steps per small variant, one after the other in one process. After a 10%
 * warm-up and at 4 checkpoints it prints the model manager's array count, the process RSS, the Java heap
 * (used and committed), and, when run with {@code -XX:NativeMemoryTracking=summary}, the JVM's committed
 * memory split into Java heap and the rest (metaspace, code cache, threads, GC); RSS minus the NMT total is
 * what the native libraries (libtorch, glibc malloc) hold. Pass: array count equal at warm-up and end, and
 * RSS growth under 5%. G1 grows and shrinks the committed heap on its own, which moves RSS by tens of MB with
 * no leak; run with a fixed, pre-touched heap ({@code -Xms256m -Xmx256m -XX:+AlwaysPreTouch}) so that RSS
 * growth measures the rest.
 *
 * <pre>
 * java -XX:NativeMemoryTracking=summary -cp &lt;benchmarks test class path&gt;
 *     io.github.mlpzoo.bench.reliability.SoakRun [calls] [steps] [inference variants, comma separated]
 *     [training variants]
 * </pre>
 */
public final class SoakRun {

    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern NMT_HEAP = Pattern.compile("Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB");

    /** {@code -Dsoak.gc=all}: a full GC before every checkpoint, not only at warm-up and end. */
    private static final boolean GC_AT_CHECKPOINTS = "all".equals(System.getProperty("soak.gc"));

    private SoakRun() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        boolean ok = true;
        System.out.println("phase      variant          step   arrays  RSS MB  heap used / committed MB"
                + "  NMT heap MB  NMT other MB  RSS-NMT MB");
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

    private static boolean soak(String name, int n, boolean train) throws Exception {
        Variant<?> v = Zoo.variant(name);
        Map<String, String> tiny = TinyConfigs.of(v);
        DataDesc[] descs = v.inputs(tiny);
        int warm = Math.max(1, n / 10);
        int every = Math.max(1, (n - warm) / 4);
        String phase = train ? "train" : "inference";
        try (Model model = Zoo.newModel(name, tiny, 1)) {
            Trainer trainer = null;
            if (train) {
                trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
                        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-4f)).build()));
            }
            long arrays0 = 0;
            long rss0 = 0;
            for (int i = 0; i < n; i++) {
                if (i == warm || (i > warm && (i - warm) % every == 0)) {
                    long[] s = sample(model, phase, name, i, i == warm || GC_AT_CHECKPOINTS);
                    if (i == warm) {
                        arrays0 = s[0];
                        rss0 = s[1];
                    }
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
            long[] end = sample(model, phase, name, n, true);
            double growth = 100.0 * (end[1] - rss0) / rss0;
            boolean pass = arrays0 == end[0] && growth < 5.0;
            System.out.printf("%-10s %-14s %6d  arrays %d -> %d  RSS %.1f -> %.1f MB  %+.2f%%  %s%n", phase, name, n,
                    arrays0, end[0], rss0 / 1024.0, end[1] / 1024.0, growth, pass ? "ok" : "FAIL");
            if (trainer != null) {
                trainer.close();
            }
            return pass;
        }
    }

    /** Prints one checkpoint line; returns {array count, RSS kB}. */
    private static long[] sample(Model model, String phase, String name, int i, boolean gc) throws Exception {
        if (gc) {
            System.gc();
        }
        long arrays = model.getNDManager().getManagedArrays().size();
        long rss = rssKb();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long[] nmt = nmtCommittedKb();
        System.out.printf("%-10s %-14s %6d %8d %7.1f %10.1f / %-10.1f %7s %9s %9s%n", phase, name, i, arrays,
                rss / 1024.0, heap.getUsed() / 1048576.0, heap.getCommitted() / 1048576.0,
                nmt == null ? "-" : String.format("%.1f", nmt[1] / 1024.0),
                nmt == null ? "-" : String.format("%.1f", (nmt[0] - nmt[1]) / 1024.0),
                nmt == null ? "-" : String.format("%.1f", (rss - nmt[0]) / 1024.0));
        return new long[] {arrays, rss};
    }

    private static NDList inputs(NDManager m, DataDesc[] descs) {
        NDList in = new NDList();
        for (DataDesc d : descs) {
            var s = BadInputMatrixTest.with(d.getShape(), 0, 8);
            in.add(d.getDataType().isInteger() ? m.ones(s, d.getDataType()) : m.randomNormal(s));
        }
        return in;
    }

    /** The JVM's committed memory per NMT summary, {total, Java heap} in kB, or null when NMT is off. */
    private static long[] nmtCommittedKb() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Matcher t = NMT_TOTAL.matcher(String.valueOf(out));
            Matcher h = NMT_HEAP.matcher(String.valueOf(out));
            return t.find() && h.find() ? new long[] {Long.parseLong(t.group(2)), Long.parseLong(h.group(2))} : null;
        } catch (Exception e) {
            return null;
        }
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
