package io.github.mlpzoo.bench.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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
 * JMH: one float32 {@code size×size · size×size} matmul through DJL's PyTorch engine ({@code 2·size³} FLOPs), the
 * machine's peak against which issue 9 states the MAC efficiency of large-batch vision inference. Forked and
 * thread-pinned like {@link ModelBench}; the product is freed every invocation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xmx2g", "-Dai.djl.offline=true", "-DDJL_OFFLINE=true", "-DOPT_OUT_TRACKING=true",
    "-Dai.djl.default_engine=PyTorch", "-Dai.djl.pytorch.num_interop_threads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MatmulBench {

    /** Matrix size. */
    @Param({"1024", "2048"})
    public int size;

    /** PyTorch intra-op threads. */
    @Param({"2"})
    public int threads;

    private NDManager manager;
    private NDArray a;
    private NDArray b;

    /** Pins the threads and makes the two operands. */
    @Setup(Level.Trial)
    public void setUp() {
        int actual = Workload.pinThreads(threads);
        if (actual != threads) {
            throw new IllegalStateException("asked PyTorch for " + threads + " intra-op threads, it runs " + actual);
        }
        manager = NDManager.newBaseManager();
        a = manager.randomNormal(new Shape(size, size));
        b = manager.randomNormal(new Shape(size, size));
    }

    /** Frees the operands. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /** One product, freed before returning. */
    @Benchmark
    public long matmul() {
        try (NDArray c = a.matMul(b)) {
            return c.size();
        }
    }
}
