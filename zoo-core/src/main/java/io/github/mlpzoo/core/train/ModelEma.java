package io.github.mlpzoo.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of a block's parameters, updated after every optimizer step (timm's
 * {@code --model-ema}, {@code ModelEmaV2}; Polyak averaging): {@code avg += (1 - d_t) · (live - avg)} for every
 * initialized floating-point parameter, trainable or not (normalization statistics included, as timm averages
 * buffers too), with the warm-up {@code d_t = min(decay, (1 + t) / (10 + t))} after update t (TensorFlow's
 * {@code ExponentialMovingAverage(num_updates)}), so early averages are not dominated by the initialization.
 *
 * <p>The average lives in its own native arrays (one copy of the parameters); {@link #swap()} exchanges it with the
 * block's arrays in place, so a scorer or a checkpoint sees the averaged model, and a second {@code swap} puts the
 * live values back.
 */
final class ModelEma implements AutoCloseable {

    private final double decay;
    private final NDManager manager;
    private final List<Parameter> params = new ArrayList<>();
    private final List<NDArray> averages = new ArrayList<>();
    private long updates;

    /**
     * Starts the average at {@code block}'s current (initialized) parameters.
     *
     * @param decay the long-run decay per step, in (0, 1)
     */
    ModelEma(Block block, NDManager parent, double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in (0, 1); got " + decay);
        }
        this.decay = decay;
        this.manager = parent.newSubManager();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (!param.isInitialized() || !param.getArray().getDataType().isFloating()) {
                continue;
            }
            try (NDArray view = param.getArray().stopGradient()) {
                NDArray copy = view.duplicate();
                copy.attach(manager);
                averages.add(copy);
            }
            params.add(param);
        }
    }

    /** Folds the block's current parameters into the average (call after each optimizer step). */
    void update() {
        updates++;
        float weight = (float) (1 - Math.min(decay, (1.0 + updates) / (10.0 + updates)));
        for (int i = 0; i < params.size(); i++) {
            NDArray avg = averages.get(i);
            try (NDArray diff = params.get(i).getArray().sub(avg)) {
                diff.muli(weight);
                avg.addi(diff);
            }
        }
    }

    /** Exchanges the average and the block's live parameters (the block's arrays are written in place). */
    void swap() {
        for (int i = 0; i < params.size(); i++) {
            NDArray live = params.get(i).getArray();
            NDArray avg = averages.get(i);
            NDArray liveCopy;
            try (NDArray view = live.stopGradient()) {
                liveCopy = view.duplicate();
            }
            liveCopy.attach(manager);
            live.set(avg.toByteBuffer());
            averages.set(i, liveCopy);
            avg.close();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
