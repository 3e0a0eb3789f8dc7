package io.github.mlpzoo.core.train;

import ai.djl.util.JsonUtils;
import io.github.mlpzoo.core.AtomicFiles;
import io.github.mlpzoo.core.zoo.Anchor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The outcome of training or evaluating a variant on a task; saved as {@code report.json}.
 *
 * @param model the variant name
 * @param dataset the task's dataset name
 * @param metric the test metric's name (e.g. {@code rmse})
 * @param value our test figure
 * @param anchor the published figure to compare with, or {@code null}
 * @param wallSeconds wall time of the whole run
 * @param details further figures (validation metric, best epoch, parameter count, ...)
 */
public record Report(
        String model, String dataset, String metric, double value, Anchor anchor, double wallSeconds,
        Map<String, Object> details) {

    /** The report as pretty JSON. */
    public String toJson() {
        return JsonUtils.GSON_PRETTY.toJson(this);
    }

    /** Writes {@link #toJson()} to {@code file} through a temporary file renamed into place. */
    public void save(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson());
    }


    /** One line for the console: our figure beside the anchor. */
    public String summary() {
        String ours = String.format(java.util.Locale.ROOT, "%s on %s: test %s = %.4f", model, dataset, metric, value);
        if (anchor == null) {
            return ours + " (no published anchor)";
        }
        return ours + String.format(java.util.Locale.ROOT, "   | anchor %.4f (%s)", anchor.value(), anchor.source());
    }
}
