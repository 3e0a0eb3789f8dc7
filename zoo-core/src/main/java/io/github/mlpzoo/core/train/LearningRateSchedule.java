package io.github.mlpzoo.core.train;

import ai.djl.training.tracker.Tracker;

/**
 * Linear warm-up, then a constant or cosine learning rate, as a DJL {@link Tracker} for {@code AdamW}.
 *
 * <p>DJL's optimizers ask for the value at update {@code t = 1, 2, ...} (the optimizer's update count). With peak
 * {@code lr}, warm-up steps {@code W}, total steps {@code T} and final value {@code lr_min}:
 * <pre>
 *   t &lt;= W:            lr(t) = lr * t / W
 *   t &gt;  W, constant:  lr(t) = lr
 *   t &gt;  W, cosine:    lr(t) = lr_min + (lr - lr_min) * (1 + cos(pi * min(1, (t - W) / (T - W)))) / 2
 * </pre>
 * so the first step already moves ({@code lr / W}), the peak is reached at step {@code W}, and the cosine reaches
 * {@code lr_min} at step {@code T} and stays there. This is the warm-up + cosine of DeiT/timm and nanoGPT's
 * {@code get_lr}, counted from 1.
 */
public final class LearningRateSchedule implements Tracker {

    private final double peak;
    private final int warmupSteps;
    private final int totalSteps;
    private final TrainConfig.Schedule kind;
    private final double finalValue;

    private LearningRateSchedule(double peak, int warmupSteps, int totalSteps, TrainConfig.Schedule kind,
            double finalValue) {
        if (!(peak > 0) || Double.isInfinite(peak)) {
            throw new IllegalArgumentException("peak learning rate must be finite and > 0; got " + peak);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0; got " + warmupSteps);
        }
        if (totalSteps < warmupSteps) {
            throw new IllegalArgumentException(
                    "totalSteps must be >= warmupSteps=" + warmupSteps + "; got " + totalSteps);
        }
        if (!(finalValue >= 0) || finalValue > peak) {
            throw new IllegalArgumentException("finalValue must be in [0, peak=" + peak + "]; got " + finalValue);
        }
        this.peak = peak;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.kind = kind;
        this.finalValue = finalValue;
    }

    /** Warm-up over {@code warmupSteps}, then {@code peak} for ever. */
    public static LearningRateSchedule constant(double peak, int warmupSteps) {
        return new LearningRateSchedule(peak, warmupSteps, warmupSteps, TrainConfig.Schedule.CONSTANT, peak);
    }

    /** Warm-up over {@code warmupSteps}, then a cosine from {@code peak} to {@code finalValue} at {@code totalSteps}. */
    public static LearningRateSchedule cosine(double peak, int warmupSteps, int totalSteps, double finalValue) {
        return new LearningRateSchedule(peak, warmupSteps, totalSteps, TrainConfig.Schedule.COSINE, finalValue);
    }

    /** The schedule {@code config} asks for, when an epoch has {@code stepsPerEpoch} optimizer steps. */
    public static LearningRateSchedule of(TrainConfig config, int stepsPerEpoch) {
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("stepsPerEpoch must be >= 1; got " + stepsPerEpoch);
        }
        int warmup = Math.multiplyExact(config.warmupEpochs(), stepsPerEpoch);
        int total = Math.multiplyExact(config.epochs(), stepsPerEpoch);
        return config.schedule() == TrainConfig.Schedule.COSINE
                ? cosine(config.lr(), warmup, total, config.minLr())
                : constant(config.lr(), warmup);
    }

    /** The learning rate at update {@code t} (1-based), in double precision. */
    public double valueAt(int t) {
        if (warmupSteps > 0 && t <= warmupSteps) {
            return peak * Math.max(t, 0) / warmupSteps;
        }
        if (kind == TrainConfig.Schedule.CONSTANT) {
            return peak;
        }
        int span = totalSteps - warmupSteps;
        double progress = span == 0 ? 1.0 : Math.min(1.0, (double) (t - warmupSteps) / span);
        return finalValue + (peak - finalValue) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    /** {@inheritDoc} */
    @Override
    public float getNewValue(int numUpdate) {
        return (float) valueAt(numUpdate);
    }

    @Override
    public String toString() {
        return kind == TrainConfig.Schedule.CONSTANT
                ? String.format(java.util.Locale.ROOT, "constant(lr=%g, warmup=%d)", peak, warmupSteps)
                : String.format(java.util.Locale.ROOT, "cosine(lr=%g, warmup=%d, total=%d, final=%g)", peak,
                        warmupSteps, totalSteps, finalValue);
    }
}
