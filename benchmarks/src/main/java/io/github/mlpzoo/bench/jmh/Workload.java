package io.github.mlpzoo.bench.jmh;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.mlpzoo.core.Engines;
import io.github.mlpzoo.core.profile.ModelProfile;
import io.github.mlpzoo.core.train.MseLoss;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.Zoo;
import io.github.mlpzoo.ctr.din.DinConfig;
import io.github.mlpzoo.ctr.finalmlp.DualMlpConfig;
import io.github.mlpzoo.ctr.finalmlp.FinalMlpConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The timed work of one {@link BenchConfig}: a model built and initialized once, seeded random inputs of the
 * configured batch made once, and two operations, {@link #infer()} (an eval-mode forward pass without gradient
 * recording) and {@link #trainStep()} (a training-mode forward pass, the loss {@code mean(output²)}, backward,
 * and one AdamW step at learning rate 1e-4, weight decay 0.01). Both run inside a sub-manager that is closed
 * before they return, so every intermediate array of an invocation is freed by the invocation itself; the
 * inputs are only attached to it temporarily.
 *
 * <p>Inputs: float inputs are standard normal; integer (CTR) inputs are ids drawn uniformly from
 * {@code [1, vocab)} of their field, histories full length (no padding). The protocol is the one
 * {@code benchmarks/python/bench_official.py} applies to the official code.
 */
public final class Workload implements AutoCloseable {

    private final BenchConfig config;
    private final Model model;
    private final NDManager data;
    private final NDList inputs;
    private final ParameterStore inferenceStore;
    private final ModelProfile profile;
    private Trainer trainer;

    private Workload(BenchConfig config, Model model, NDManager data, NDList inputs, ModelProfile profile) {
        this.config = config;
        this.model = model;
        this.data = data;
        this.inputs = inputs;
        this.profile = profile;
        this.inferenceStore = new ParameterStore(model.getNDManager(), false);
    }

    /**
     * Builds and initializes the model of {@code config} with random seed {@code seed} and makes its inputs.
     * The caller closes the workload.
     */
    public static Workload open(BenchConfig config, long seed) {
        Engines.configureOffline();
        Model model = Zoo.newModel(config.variant(), config.overrides(), seed);
        try {
            Variant<?> v = Zoo.variant(config.variant());
            Record cfg = v.config(config.overrides());
            DataDesc[] descs = v.inputs(config.overrides());
            NDManager data = model.getNDManager().newSubManager();
            NDList in = new NDList();
            for (int i = 0; i < descs.length; i++) {
                long[] dims = descs[i].getShape().getShape().clone();
                dims[0] = config.batch();
                Shape s = new Shape(dims);
                in.add(descs[i].getDataType().isInteger() ? ids(data, s, bounds(cfg, i)) : data.randomNormal(s));
            }
            return new Workload(config, model, data, in, ModelProfile.of(model.getBlock(), descs));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The configuration timed. */
    public BenchConfig config() {
        return config;
    }

    /** Samples per invocation (the batch size). */
    public int batch() {
        return config.batch();
    }

    /** The model's trainable parameter count. */
    public long parameters() {
        return profile.params();
    }

    /** Multiply-accumulates of one sample's forward pass ({@link ModelProfile}; 0 where not counted). */
    public long macsPerSample() {
        return profile.macs();
    }

    /**
     * One eval-mode forward pass over the batch, gradient recording off on this thread. Returns the size of
     * the first output (so that a benchmark can consume it).
     */
    public long infer() {
        Native.prepareThisThread();
        try (NDManager m = data.newSubManager()) {
            inputs.tempAttach(m);
            NDList out = model.getBlock().forward(inferenceStore, inputs, false);
            return out.head().size();
        }
    }

    /**
     * One training step: training-mode forward pass, loss {@code mean(output²)}, backward, AdamW step.
     * Returns the size of the first output.
     */
    public long trainStep() {
        if (trainer == null) {
            trainer = model.newTrainer(new DefaultTrainingConfig(new MseLoss("mse"))
                    .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-4f)).build()));
        }
        Native.prepareThisThread();
        long size;
        try (NDManager m = data.newSubManager()) {
            inputs.tempAttach(m);
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray out = trainer.forward(inputs).head();
                size = out.size();
                gc.backward(out.square().mean());
            }
            trainer.step();
        }
        return size;
    }

    @Override
    public void close() {
        if (trainer != null) {
            trainer.close();
        }
        data.close();
        model.close();
    }

    /** Sets PyTorch's intra-op thread count (before or after the engine started) and returns the count now in effect. */
    public static int pinThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1; got " + threads);
        }
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        Engines.get();
        if (Native.numThreads() != threads) {
            Native.setNumThreads(threads);
        }
        Native.pinned = threads;
        return Native.numThreads();
    }

    /** PyTorch's intra-op thread count now in effect. */
    public static int threads() {
        Engines.get();
        return Native.numThreads();
    }

    /** CPU time used by this process so far, all threads, in nanoseconds (-1 where the JVM does not say). */
    public static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    /** This process's peak resident set size in MiB ({@code VmHWM}), or -1 where /proc is absent. */
    public static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
            return -1;
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** Ids uniform in [1, bound) per column (rank 2) or per channel (rank 3). */
    private static NDArray ids(NDManager m, Shape s, int[] bounds) {
        List<NDArray> parts = new ArrayList<>();
        int axis = 1;
        long[] one = s.getShape().clone();
        one[axis] = 1;
        for (int j = 0; j < s.get(axis); j++) {
            int hi = Math.max(2, bounds[Math.min(j, bounds.length - 1)]);
            parts.add(m.randomInteger(1, hi, new Shape(one), DataType.INT64));
        }
        NDArray out = NDArrays.concat(new NDList(parts), axis);
        for (NDArray p : parts) {
            p.close();
        }
        return out;
    }

    /** The vocabulary sizes bounding the ids of integer input {@code index} of {@code cfg}, per column/channel. */
    private static int[] bounds(Record cfg, int index) {
        int[] vocab;
        int[] history;
        if (cfg instanceof DinConfig c) {
            vocab = c.vocab();
            history = c.behaviourFields();
        } else if (cfg instanceof FinalMlpConfig c) {
            vocab = c.vocab();
            history = c.historyFields();
        } else if (cfg instanceof DualMlpConfig c) {
            vocab = c.vocab();
            history = c.historyFields();
        } else {
            return new int[] {2};
        }
        if (index == 0) {
            return vocab;
        }
        int[] out = new int[history.length];
        for (int h = 0; h < history.length; h++) {
            out[h] = vocab[history[h]];
        }
        return out.length == 0 ? new int[] {2} : out;
    }

    /**
     * Runs {@code calls} invocations of {@code op} under libtorch's profiler and writes its Chrome trace to
     * {@code trace}; returns the ops with the largest summed (inclusive) time, one line each, at most {@code top}.
     */
    public static List<String> profile(Runnable op, int calls, java.nio.file.Path trace, int top) throws IOException {
        Native.call("startProfile", new Class<?>[] {boolean.class, boolean.class, boolean.class}, false, true, false);
        try {
            for (int i = 0; i < calls; i++) {
                op.run();
            }
        } finally {
            Native.call("stopProfile", new Class<?>[] {String.class}, trace.toAbsolutePath().toString());
        }
        return TraceSummary.top(trace, calls, top);
    }

    /** PyTorch engine calls made by reflection (the engine is a runtime dependency of this module). */
    static final class Native {

        private static final ThreadLocal<Boolean> PREPARED = new ThreadLocal<>();
        static volatile int pinned = -1;

        private Native() {}

        static int numThreads() {
            return (Integer) call("getNumThreads", new Class<?>[0]);
        }

        static void setNumThreads(int n) {
            call("setNumThreads", new Class<?>[] {int.class}, n);
        }

        /**
         * Once per thread: grad mode off (PyTorch keeps it per thread, and the engine turns it off only on the
         * thread that started it, so inference on any other thread records an autograd graph), and the pinned
         * intra-op thread count (OpenMP keeps it per thread too).
         */
        static void prepareThisThread() {
            if (PREPARED.get() == null) {
                call("setGradMode", new Class<?>[] {boolean.class}, false);
                if (pinned > 0 && numThreads() != pinned) {
                    setNumThreads(pinned);
                }
                PREPARED.set(Boolean.TRUE);
            }
        }

        static Object call(String name, Class<?>[] types, Object... args) {
            try {
                Method m = Class.forName("ai.djl.pytorch.jni.JniUtils").getMethod(name, types);
                return m.invoke(null, args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("PyTorch engine call JniUtils." + name + " failed: " + e, e);
            }
        }
    }
}
