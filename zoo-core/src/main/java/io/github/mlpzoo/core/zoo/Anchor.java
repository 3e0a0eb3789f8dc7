package io.github.mlpzoo.core.zoo;

/**
 * A published figure a trained variant is compared against.
 *
 * @param dataset the dataset name as the CLI knows it (e.g. {@code california})
 * @param metric the metric name (e.g. {@code rmse})
 * @param value the figure
 * @param source where it comes from (paper table, or the official code run under our protocol)
 */
public record Anchor(String dataset, String metric, double value, String source) {}
