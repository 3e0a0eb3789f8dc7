/**
 * Deep Interest Network (Zhou et al., <i>Deep Interest Network for Click-Through Rate Prediction</i>, KDD 2018),
 * faithful to DeepCTR-Torch's {@code DIN}, its Embedding&amp;MLP base model ({@code ctr_dnn}), and the paper's
 * mini-batch aware regularization.
 */
package io.github.mlpzoo.ctr.din;
