package io.github.mlpzoo.core;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * Starts DJL's PyTorch engine offline: nothing is downloaded and DJL's start-up telemetry never runs.
 *
 * <p>Call {@link #get()} (or any zoo entry point, which calls it) before the first NDManager is made. It sets
 * {@code ai.djl.offline}, {@code DJL_OFFLINE} and {@code OPT_OUT_TRACKING} as system properties unless the
 * caller already chose otherwise, and maps {@code zoo.threads} to PyTorch's intra-op thread count
 * ({@code ai.djl.pytorch.num_threads}), which the engine reads once when it starts.
 */
public final class Engines {

    /** System property giving the intra-op thread count; unset means PyTorch's default. */
    public static final String THREADS_PROPERTY = "zoo.threads";

    private Engines() {}

    /** Sets the offline switches; idempotent and cheap, safe to call from every entry point. */
    public static void configureOffline() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("DJL_OFFLINE", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.default_engine", "PyTorch");
        String threads = System.getProperty(THREADS_PROPERTY);
        if (threads != null && !threads.isBlank()) {
            int n;
            try {
                n = Integer.parseInt(threads.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        THREADS_PROPERTY + " must be a positive integer; got '" + threads + "'", e);
            }
            if (n < 1) {
                throw new IllegalArgumentException(THREADS_PROPERTY + " must be >= 1; got " + n);
            }
            setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(n));
        }
    }

    /** The PyTorch engine, started offline. */
    public static Engine get() {
        configureOffline();
        return Engine.getEngine("PyTorch");
    }

    /** The best device present: the first CUDA GPU when the engine sees one, else the CPU. */
    public static Device bestDevice() {
        Engine engine = get();
        return engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
