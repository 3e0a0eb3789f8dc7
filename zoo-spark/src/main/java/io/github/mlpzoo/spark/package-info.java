/**
 * Batch scoring of registered zoo models on Apache Spark: {@link io.github.mlpzoo.spark.ZooScorer} appends a
 * model's outputs to a DataFrame through {@code mapPartitions}, with the model loaded once per executor JVM
 * ({@link io.github.mlpzoo.spark.ModelSource}) and the DataFrame's columns mapped to the model inputs by a
 * {@link io.github.mlpzoo.spark.FeatureSpec}.
 */
package io.github.mlpzoo.spark;
