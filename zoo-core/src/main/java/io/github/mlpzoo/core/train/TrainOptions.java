package io.github.mlpzoo.core.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to run a {@link ZooTask}: where the data is, how long, with which seed, and where results go.
 *
 * @param dataPath a directory holding the dataset's files, or {@code null} for the copy embedded in the
 *     project ({@code src-test-data}) where the license allows one
 * @param epochs the maximum number of epochs, or 0 for the protocol's own
 * @param seed the run seed (model init and batch order)
 * @param outDir where the model directory, {@code history.json} and {@code report.json} are written
 * @param progress whether to draw a progress bar on the console
 * @param recipe overrides of the task's training recipe ({@code zoo train --recipe key=value}), by the keys the
 *     task lists in {@link ZooTask#recipeKeys()}; empty for the task's own recipe
 */
public record TrainOptions(Path dataPath, int epochs, long seed, Path outDir, boolean progress,
        Map<String, String> recipe) {

    /** Options with the task's own recipe. */
    public TrainOptions(Path dataPath, int epochs, long seed, Path outDir, boolean progress) {
        this(dataPath, epochs, seed, outDir, progress, Map.of());
    }

    public TrainOptions {
        recipe = recipe == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(recipe));
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0 (0 = the protocol's own); got " + epochs);
        }
        if (dataPath != null && !Files.isDirectory(dataPath)) {
            throw new IllegalArgumentException("dataset path does not exist or is not a directory: " + dataPath);
        }
    }
}
