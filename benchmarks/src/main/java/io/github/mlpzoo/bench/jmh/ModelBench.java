package io.github.mlpzoo.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * JMH suite of issue 9: for each stated configuration ({@link BenchConfig#STATED}), the time of one
 * eval-mode forward pass over the batch ({@link #infer()}) and of one training step, forward + backward +
 * AdamW ({@link #trainStep()}). Throughput in samples/s is {@code batch / score}.
 *
 * <p>Each parameter combination runs in its own forked JVMs (offline DJL, 4 GB heap, one inter-op thread); the
 * intra-op thread count is the {@code threads} parameter, set before the engine starts and checked, so it is
 * recorded with every result. The model and its inputs are made once per trial; every invocation frees its
 * intermediates by closing its own sub-manager ({@link Workload}). Run it, e.g.:
 *
 * <pre>
 * java -cp 'benchmarks/target/benchmarks-*.jar:benchmarks/target/lib/*' org.openjdk.jmh.Main ModelBench \
 *     -p threads=2 -rf json -rff jmh.json
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xmx4g", "-Dai.djl.offline=true", "-DDJL_OFFLINE=true", "-DOPT_OUT_TRACKING=true",
    "-Dai.djl.default_engine=PyTorch", "-Dai.djl.pytorch.num_interop_threads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ModelBench {

    /** The stated configuration ({@link BenchConfig#of}). */
    @Param({"mixer_s16", "gmlp_s16", "poolformer_s12", "strip_mlp_t", "ms_mlp_t", "raft_mlp_s", "kat_t", "activator",
        "scaling_mlp_b6_wi512", "tabm", "patchtsmixer_etth1", "din", "finalmlp", "kan"})
    public String config;

    /** PyTorch intra-op threads. */
    @Param({"2"})
    public int threads;

    /** Batch size; 0 keeps the configuration's stated batch. */
    @Param({"0"})
    public int batch;

    private Workload work;

    /** Pins the threads (before the engine starts in a fresh fork), builds the model and its inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        int actual = Workload.pinThreads(threads);
        if (actual != threads) {
            throw new IllegalStateException("asked PyTorch for " + threads + " intra-op threads, it runs " + actual);
        }
        work = Workload.open(BenchConfig.of(config).withBatch(batch), 42);
        // one untimed forward pass, so that lazily made native state exists before warm-up
        work.infer();
    }

    /** Closes the model and every native array it owns. */
    @TearDown(Level.Trial)
    public void tearDown() {
        work.close();
    }

    /** One eval-mode forward pass over the batch. */
    @Benchmark
    public long infer() {
        return work.infer();
    }

    /** One training step (forward, backward, AdamW step) over the batch. */
    @Benchmark
    public long trainStep() {
        return work.trainStep();
    }
}
