/**
 * The CTR feature pipeline: vocabularies built on the training data with a padding id 0 and an optional
 * out-of-vocabulary id ({@link io.github.mlpzoo.ctr.features.Vocabulary}), behaviour sequences truncated and padded
 * to a fixed length ({@link io.github.mlpzoo.ctr.features.Sequences}), field names resolved to input columns
 * ({@link io.github.mlpzoo.ctr.features.FieldSpec}), and the embedding tables with masked history lookups
 * ({@link io.github.mlpzoo.ctr.features.FieldEmbedding}).
 */
package io.github.mlpzoo.ctr.features;
