package io.github.mlpzoo.core.train;

import java.util.Objects;

/**
 * The hyper-parameters of one {@link Fit} run. Validation runs after every epoch.
 *
 * <p>Build one with {@link #of(int, int, double)} and the {@code with...} methods, e.g. the TabM paper's MLP
 * on California Housing (TabM, Gorishniy et al. 2024, appendix; official {@code bin/model.py}):
 * <pre>{@code
 * TrainConfig.of(1000, 256, 5.64e-4).withWeightDecay(0.0288).withClipNorm(1.0).withPatience(16).withSeed(0)
 * }</pre>
 *
 * @param epochs the maximum number of epochs, {@code >= 1}
 * @param batchSize examples per optimizer step, {@code >= 1}; the last batch of an epoch may be smaller
 * @param lr the peak learning rate of AdamW, {@code > 0}
 * @param weightDecay AdamW's decoupled weight decay ({@code w -= lr * wd * w}), {@code >= 0}
 * @param warmupEpochs epochs of linear warm-up from {@code lr / warmupSteps} to {@code lr}, in {@code [0, epochs]}
 * @param schedule what the learning rate does after warm-up
 * @param minLr where the cosine schedule ends, in {@code [0, lr]}; ignored by {@link Schedule#CONSTANT}
 * @param clipNorm the maximum global L2 norm of the gradients ({@link GradNormClipping}); 0 = no clipping
 * @param patience stop after this many epochs without a better validation metric; 0 = never stop early
 * @param seed seeds the engine (initialization, dropout) and the order of the training batches
 */
public record TrainConfig(
        int epochs, int batchSize, double lr, double weightDecay, int warmupEpochs, Schedule schedule,
        double minLr, double clipNorm, int patience, long seed) {

    /** The learning rate after warm-up. */
    public enum Schedule {
        /** Stays at {@code lr}. */
        CONSTANT,
        /** Half a cosine from {@code lr} down to {@code minLr} at the last step of the last epoch. */
        COSINE
    }

    public TrainConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1; got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1; got " + batchSize);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("lr must be finite and > 0; got " + lr);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be finite and >= 0; got " + weightDecay);
        }
        if (warmupEpochs < 0 || warmupEpochs > epochs) {
            throw new IllegalArgumentException(
                    "warmupEpochs must be in [0, epochs=" + epochs + "]; got " + warmupEpochs);
        }
        Objects.requireNonNull(schedule, "schedule must be CONSTANT or COSINE; got null");
        if (!(minLr >= 0) || minLr > lr) {
            throw new IllegalArgumentException("minLr must be in [0, lr=" + lr + "]; got " + minLr);
        }
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be finite and >= 0 (0 = off); got " + clipNorm);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0 (0 = off); got " + patience);
        }
    }

    /**
     * {@code epochs} epochs of batches of {@code batchSize} at constant learning rate {@code lr}; no weight decay,
     * warm-up, clipping or early stopping; seed 0.
     */
    public static TrainConfig of(int epochs, int batchSize, double lr) {
        return new TrainConfig(epochs, batchSize, lr, 0, 0, Schedule.CONSTANT, 0, 0, 0, 0);
    }

    /** This config with {@code epochs} changed. */
    public TrainConfig withEpochs(int epochs) {
        return new TrainConfig(epochs, batchSize, lr, weightDecay, warmupEpochs, schedule, minLr, clipNorm,
                patience, seed);
    }

    /** This config with {@code batchSize} changed. */
    public TrainConfig withBatchSize(int batchSize) {
        return new TrainConfig(epochs, batchSize, lr, weightDecay, warmupEpochs, schedule, minLr, clipNorm,
                patience, seed);
    }

    /** This config with {@code lr} changed. */
    public TrainConfig withLr(double lr) {
        return new TrainConfig(epochs, batchSize, lr, weightDecay, warmupEpochs, schedule, minLr, clipNorm,
                patience, seed);
    }

    /** This config with {@code weightDecay} changed. */
    public TrainConfig withWeightDecay(double weightDecay) {
        return new TrainConfig(epochs, batchSize, lr, weightDecay, warmupEpochs, schedule, minLr, clipNorm,
                patience, seed);
    }

    /** This config with {@code warmupEpochs} changed. */
    public TrainConfig withWarmupEpochs(int warmupEpochs) {
        return new TrainConfig(epochs, batchSize, lr, weightDecay, warmupEpochs, schedule, minLr, clipNorm,
                patience, seed);
    }

    /** This config with a cosine decay to {@code minLr} after warm-up. */
    public TrainConfig withCosine(double minLr) {
        return new TrainConfig(epochs, batchSize, lr, weightDecay, warmupEpochs, Schedule.COSINE, minLr,
                clipNorm, patience, seed);
    }

    /** This config with {@code clipNorm} changed (0 = off). */
    public TrainConfig withClipNorm(double clipNorm) {
        return new TrainConfig(epochs, batchSize, lr, weightDecay, warmupEpochs, schedule, minLr, clipNorm,
                patience, seed);
    }

    /** This config with {@code patience} changed (0 = off). */
    public TrainConfig withPatience(int patience) {
        return new TrainConfig(epochs, batchSize, lr, weightDecay, warmupEpochs, schedule, minLr, clipNorm,
                patience, seed);
    }

    /** This config with {@code seed} changed. */
    public TrainConfig withSeed(long seed) {
        return new TrainConfig(epochs, batchSize, lr, weightDecay, warmupEpochs, schedule, minLr, clipNorm,
                patience, seed);
    }
}
