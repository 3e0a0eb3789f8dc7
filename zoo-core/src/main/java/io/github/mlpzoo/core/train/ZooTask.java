package io.github.mlpzoo.core.train;

import ai.djl.Model;
import io.github.mlpzoo.core.zoo.Variant;

import java.io.IOException;
import java.util.Map;

/**
 * A dataset with its training and evaluation protocol, as {@code zoo train NAME --dataset D} runs it.
 * Domain modules provide tasks through {@code META-INF/services/io.github.mlpzoo.core.train.ZooTask};
 * {@link Tasks} finds them.
 */
public interface ZooTask {

    /** The dataset name the CLI takes, e.g. {@code california}. */
    String dataset();

    /** One line: the data, its split, and the reported metric. */
    String description();

    /** Whether this task can train {@code variant} (its domain and output fit the data). */
    boolean supports(Variant<?> variant);

    /**
     * Trains {@code variant} (with config {@code overrides}) under this task's protocol, keeps the best
     * checkpoint by the validation metric, evaluates it on the test part, and saves the model directory,
     * the history and the report into {@link TrainOptions#outDir()}.
     */
    Report train(Variant<?> variant, Map<String, String> overrides, TrainOptions options) throws IOException;

    /** Evaluates an already trained {@code model} of {@code variant} on this task's test part. */
    Report evaluate(Variant<?> variant, Model model, TrainOptions options) throws IOException;
}
