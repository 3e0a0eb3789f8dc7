package io.github.mlpzoo.core.train;

import ai.djl.Model;
import io.github.mlpzoo.core.zoo.Variant;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

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

    /**
     * The training-recipe settings a caller may override through {@link TrainOptions#recipe()} (e.g. {@code lr},
     * {@code ema}); none by default, and a task must refuse keys it does not list ({@link #checkRecipe}).
     */
    default Set<String> recipeKeys() {
        return Set.of();
    }

    /**
     * Throws {@link IllegalArgumentException} naming the first key of {@code recipe} that is not one of
     * {@link #recipeKeys()}, and the keys that are.
     */
    default void checkRecipe(Map<String, String> recipe) {
        for (String key : recipe.keySet()) {
            if (!recipeKeys().contains(key)) {
                throw new IllegalArgumentException(dataset() + ": unknown recipe key '" + key + "'; "
                        + (recipeKeys().isEmpty() ? "this task's recipe takes no overrides"
                                : "known: " + new java.util.TreeSet<>(recipeKeys())));
            }
        }
    }

    /** Evaluates an already trained {@code model} of {@code variant} on this task's test part. */
    Report evaluate(Variant<?> variant, Model model, TrainOptions options) throws IOException;
}
