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
 * RSS growth under 5%. Not a JVM-independent figure: G1 grows the committed heap with the per-call garbage and
 * shrinks it lazily (tens of MB of RSS, no leak), glibc keeps freed memory cached, and the JIT's arenas come and
 * go; the reliability README measures each. Run it with a fixed, pre-touched heap, native heap trimming and a
 * settle wait so that RSS growth measures the rest:
 *
 * <pre>
 * java -Xms64m -Xmx64m -XX:+AlwaysPreTouch -XX:TrimNativeHeapInterval=1000 -XX:NativeMemoryTracking=summary
 *     -Dsoak.settle=6000 -Dzoo.threads=1 -cp &lt;benchmarks test class path&gt;
 *     io.github.mlpzoo.bench.reliability.SoakRun [calls] [steps] [inference variants, comma separated]
 *     [training variants]
 * </pre>
 */
public final class SoakRun {

    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern NMT_HEAP = Pattern.compile("Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB");

    /** {@code -Dsoak.gc=all}: a full GC before every checkpoint, not only at warm-up and end. */
    private static final boolean GC_AT_CHECKPOINTS = "all".equals(System.getProperty("soak.gc"));

    /**
     * {@code -Dsoak.trim=true}: at each checkpoint, after the GC, ask glibc to return freed memory to the OS
     * ({@code malloc_trim}, through the JVM's {@code System.trim_native_heap} command) before reading RSS. RSS that
     * this gives back was freed memory malloc kept cached, not live data.
     */
    private static final boolean TRIM = Boolean.getBoolean("soak.trim");

    /** {@code -Dsoak.warmup=f}: the warm-up fraction of each phase (default 0.1). */
    private static final double WARMUP = Double.parseDouble(System.getProperty("soak.warmup", "0.1"));

    /** {@code -Dsoak.nmt=categories}: also print NMT's committed MB per category at each checkpoint. */
    private static final boolean NMT_CATEGORIES = "categories".equals(System.getProperty("soak.nmt"));

    private static final Pattern NMT_CATEGORY =
            Pattern.compile("-\\s+([A-Za-z ]+?) \\(reserved=\\d+KB, committed=(\\d+)KB");

    /**
     * {@code -Dsoak.settle=ms}: wait this long after the GC at warm-up and at the end, before reading RSS, so that
     * the JIT's compile arenas are freed (HotSpot's chunk pool is cleaned every 5 s) and trimmed.
     */
    private static final long SETTLE_MS = Long.getLong("soak.settle", 0);

    private SoakRun() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        boolean ok = true;
        System.out.println("phase      variant          step   arrays  RSS MB  heap used / committed MB"
                + "  NMT heap MB  NMT other MB  RSS-NMT MB");
        String[] infer = args.length > 2 ? args[2].split(",")
                : new String[] {"mlp", "din", "patchtsmixer", "mixer_s16"};
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
        int warm = Math.max(1, (int) (n * WARMUP));
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
            if (SETTLE_MS > 0) {
                Thread.sleep(SETTLE_MS);
            }
        }
        if (TRIM) {
            diagnostic("systemTrimNativeHeap");
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
        if (NMT_CATEGORIES) {
            Matcher m = NMT_CATEGORY.matcher(diagnostic("vmNativeMemory", "summary"));
            StringBuilder sb = new StringBuilder("           NMT MB:");
            while (m.find()) {
                long kb = Long.parseLong(m.group(2));
                if (kb >= 1024) {
                    sb.append(String.format(" %s %.1f,", m.group(1).trim(), kb / 1024.0));
                }
            }
            System.out.println(sb);
        }
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

    /** Runs a {@code jcmd} diagnostic command in this JVM and returns its output. */
    private static String diagnostic(String operation, String... args) throws Exception {
        return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
                new Object[] {args}, new String[] {String[].class.getName()}));
    }

    /** The JVM's committed memory per NMT summary, {total, Java heap} in kB, or null when NMT is off. */
    private static long[] nmtCommittedKb() {
        try {
            Object out = diagnostic("vmNativeMemory", "summary");
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
