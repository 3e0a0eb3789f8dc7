package io.github.mlpzoo.bench.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

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
 * JMH: what freeing intermediates promptly is worth (issue 9, "NDManager scoping that frees intermediates
 * promptly"). Six TabM-sized BatchEnsemble layers ({@code relu((x·r)Wᵀ·s + b)} on a (256, 32, 400) batch), with
 * every intermediate kept until the call's manager closes (what a model does today: DJL frees nothing before
 * the manager closes), or freed after each layer by a per-layer sub-manager that keeps only the layer output
 * (what PyTorch's reference counting does). Large intermediates kept alive make the allocator take fresh pages
 * (page faults, cold caches) instead of reusing the memory just freed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xmx2g", "-Dai.djl.offline=true", "-DDJL_OFFLINE=true", "-DOPT_OUT_TRACKING=true",
    "-Dai.djl.default_engine=PyTorch", "-Dai.djl.pytorch.num_interop_threads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScopingBench {

    /** Whether each layer's intermediates are freed as soon as the layer returns. */
    @Param({"false", "true"})
    public boolean perLayer;

    /** PyTorch intra-op threads. */
    @Param({"2"})
    public int threads;

    /** Batch size (the first axis). */
    @Param({"256"})
    public int batch;

    private NDManager base;
    private NDArray x;
    private NDArray r;
    private NDArray w;
    private NDArray s;
    private NDArray b;

    /** Pins the threads; makes the input and the layer parameters. */
    @Setup(Level.Trial)
    public void setUp() {
        Workload.pinThreads(threads);
        base = NDManager.newBaseManager();
        x = base.randomNormal(new Shape(batch, 32, 400));
        r = base.randomNormal(new Shape(32, 400));
        w = base.randomNormal(new Shape(400, 400)).mul(0.05f);
        s = base.randomNormal(new Shape(32, 400));
        b = base.randomNormal(new Shape(32, 400));
    }

    /** Frees everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
        base.close();
    }

    /** One call of six layers; everything made by the call is freed before it returns. */
    @Benchmark
    public long sixLayers() {
        try (NDManager call = base.newSubManager()) {
            x.tempAttach(call);
            NDArray h = x;
            for (int l = 0; l < 6; l++) {
                if (perLayer) {
                    try (NDManager layer = call.newSubManager()) {
                        h.tempAttach(layer);
                        NDArray out = layer(h);
                        out.attach(call);
                        h = out;
                    }
                } else {
                    h = layer(h);
                }
            }
            return h.size();
        }
    }

    private NDArray layer(NDArray in) {
        return Activation.relu(in.mul(r).matMul(w).mul(s).add(b));
    }
}
