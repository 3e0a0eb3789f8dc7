package io.github.mlpzoo.bench.cli;

import io.github.mlpzoo.bench.jmh.BenchConfig;
import io.github.mlpzoo.bench.jmh.MatmulPeak;
import io.github.mlpzoo.bench.jmh.Workload;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code zoo bench NAME [--batch N] [--threads T] [--train]}: whole-model throughput in samples/s, the median of
 * several timed runs after a warm-up, for the stated benchmark configuration called NAME (issue 9) or any
 * registered variant at its defaults. The warm-up lasts at least {@code --warmup} invocations and
 * {@code --seconds}; each run times {@code --iters} invocations (by default as many as fill about
 * {@code --seconds}, from the call time over the warm-up's second half). {@code zoo bench --peak} measures the
 * machine's matmul throughput through the same engine instead, the reference for the MAC-efficiency figure.
 * The RESULT line also gives samples per second of process CPU time over all timed runs (JIT and GC threads
 * included), a figure less disturbed than wall time when other processes share the cores. The last line, starting {@code RESULT}, is machine-readable
 * (the side-by-side runner in {@code benchmarks/python/} reads it). A quick figure for users without JMH; the
 * JMH suite ({@code ModelBench}) is the reference measurement.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time a model: samples/s of inference (or of a training step with --train), median of several runs.")
public final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME",
            description = "A stated benchmark configuration (${COMPLETION-CANDIDATES}) or any variant (zoo list).",
            completionCandidates = StatedNames.class)
    String name;

    @Option(names = "--batch", paramLabel = "N", description = "Batch size (default: the configuration's).")
    int batch;

    @Option(names = "--threads", paramLabel = "T", description = "PyTorch intra-op threads (default: 1).")
    int threads = 1;

    @Option(names = "--train", description = "Time a training step (forward, backward, AdamW) instead of inference.")
    boolean train;

    @Option(names = "--runs", paramLabel = "R", description = "Timed runs; the median is reported (default: 5).")
    int runs = 5;

    @Option(names = "--warmup", paramLabel = "W", description = "Least number of untimed warm-up invocations; the warm-up also lasts at least --seconds (default: 3).")
    int warmup = 3;

    @Option(names = "--iters", paramLabel = "I", description = "Invocations per run (default: fill --seconds).")
    int iters;

    @Option(names = "--seconds", paramLabel = "S", description = "Least length of the warm-up, and of one run when --iters is unset (default: 1).")
    double seconds = 1.0;

    @Option(names = "--peak", description = "Instead of a model: the machine's float32 matmul GFLOP/s through the same engine.")
    boolean peak;

    @Option(names = "--peak-size", paramLabel = "N", description = "Matrix size of --peak (default: 2048).")
    int peakSize = 2048;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "After timing, profile one run's calls with libtorch's profiler: Chrome trace to FILE, top ops printed.")
    java.nio.file.Path profile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Config override (repeatable).")
    List<String> sets;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces on errors.")
    boolean verbose;

    @Override
    public Integer call() throws java.io.IOException {
        if (runs < 1 || warmup < 0 || iters < 0 || batch < 0 || !(seconds > 0)) {
            throw new IllegalArgumentException("expected --runs >= 1, --warmup >= 0, --iters >= 0, --batch >= 0, "
                    + "--seconds > 0; got runs " + runs + ", warmup " + warmup + ", iters " + iters + ", batch " + batch
                    + ", seconds " + seconds);
        }
        int actualThreads = Workload.pinThreads(threads);
        if (peak) {
            double[] g = MatmulPeak.gflops(peakSize, runs, seconds);
            System.out.printf(Locale.ROOT, "matmul %dx%d float32, %d threads: %.1f GFLOP/s (median of %d runs; %.1f-%.1f)%n",
                    peakSize, peakSize, actualThreads, g[0], runs, g[1], g[2]);
            System.out.printf(Locale.ROOT, "RESULT impl=zoo name=matmul%d mode=peak threads=%d gflops=%.3f min=%.3f max=%.3f runs=%d%n",
                    peakSize, actualThreads, g[0], g[1], g[2], runs);
            return 0;
        }
        if (name == null) {
            throw new IllegalArgumentException("expected a model NAME (zoo list) or --peak");
        }
        BenchConfig cfg = BenchConfig.of(name).withBatch(batch).withOverrides(SetOptions.parse(sets));
        String mode = train ? "train" : "infer";
        try (Workload w = Workload.open(cfg, 42)) {
            // warm-up: at least --warmup calls and at least --seconds; the call time of its second half sets the run length
            long start = System.nanoTime();
            long half = start;
            int calls = 0;
            int halfCalls = 0;
            while (calls < Math.max(1, warmup) || System.nanoTime() - start < seconds * 1e9) {
                once(w);
                calls++;
                if (System.nanoTime() - start < seconds * 0.5e9 || calls <= Math.max(1, warmup) / 2) {
                    half = System.nanoTime();
                    halfCalls = calls;
                }
            }
            double perCall = (System.nanoTime() - half) / 1e9 / Math.max(1, calls - halfCalls);
            int n = iters > 0 ? iters : (int) Math.max(1, Math.min(1_000_000, Math.round(seconds / perCall)));
            double[] rates = new double[runs];
            long cpu0 = Workload.processCpuNanos();
            for (int r = 0; r < runs; r++) {
                long s = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    once(w);
                }
                rates[r] = (double) n * w.batch() / ((System.nanoTime() - s) / 1e9);
            }
            double cpuRate = (double) runs * n * w.batch() / ((Workload.processCpuNanos() - cpu0) / 1e9);
            double[] sorted = rates.clone();
            Arrays.sort(sorted);
            double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
            List<String> each = new ArrayList<>();
            for (double r : rates) {
                each.add(String.format(Locale.ROOT, "%.1f", r));
            }
            System.out.printf(Locale.ROOT, "%s %s (%s), %d threads: %.1f samples/s (median of %d runs of %d calls; runs %s)%n",
                    cfg.name(), mode, cfg.describe(), actualThreads, median, runs, n, String.join(" ", each));
            System.out.printf(Locale.ROOT, "RESULT impl=zoo name=%s mode=%s batch=%d threads=%d samples_per_s=%.3f "
                    + "min=%.3f max=%.3f runs=%d iters=%d samples_per_cpu_s=%.3f peak_rss_mb=%.1f params=%d macs_per_sample=%d "
                    + "gmacs_per_s=%.3f%n",
                    cfg.name(), mode, cfg.batch(), actualThreads, median, sorted[0], sorted[runs - 1], runs, n, cpuRate,
                    Workload.peakRssMb(), w.parameters(), w.macsPerSample(), median * w.macsPerSample() / 1e9);
            if (profile != null) {
                System.out.printf("profile of %d calls (trace: %s):%n", n, profile);
                for (String line : Workload.profile(() -> once(w), n, profile, 20)) {
                    System.out.println("  " + line);
                }
            }
        }
        return 0;
    }

    private void once(Workload w) {
        if (train) {
            w.trainStep();
        } else {
            w.infer();
        }
    }

    /** The stated configuration names, for the help text. */
    static final class StatedNames extends ArrayList<String> {
        StatedNames() {
            BenchConfig.STATED.forEach(c -> add(c.name()));
        }
    }
}
