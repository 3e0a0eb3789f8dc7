package io.github.mlpzoo.spark;

import ai.djl.Model;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models of this JVM (one Spark executor, or the driver in local mode), loaded once per {@link ModelSource}
 * key and shared by every task thread: blocks in inference mode only read their parameters, and each task runs
 * its batches on its own sub-manager. They stay loaded for the life of the JVM, as Spark reuses its executors.
 */
final class ExecutorModels {

    private static final Map<String, Model> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    /**
     * The model of {@code source}, loaded on first use. With {@code threads > 0} PyTorch runs {@code threads}
     * intra-op threads: set before the engine starts (the engine reads {@code ai.djl.pytorch.num_threads} once)
     * and again on the calling task thread, so that the executor's task slots don't oversubscribe its cores.
     */
    static Model get(ModelSource source, int threads) {
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Model model = MODELS.computeIfAbsent(source.key(), k -> {
            LOADS.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
            try {
                return source.load();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load " + source + " on this executor", e);
            }
        });
        if (threads > 0 && JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads);
        }
        return model;
    }

    /** How many times this JVM has loaded the model of {@code source} (for tests: once). */
    static int loads(ModelSource source) {
        AtomicInteger n = LOADS.get(source.key());
        return n == null ? 0 : n.get();
    }
}
