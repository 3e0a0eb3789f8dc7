/**
 * Generic blocks of click-through-rate models, written once for every CTR paper package: PyTorch-style batch
 * normalization over the channel axis ({@link io.github.mlpzoo.core.nn.ctr.BatchNorm1d}), the Dice activation
 * ({@link io.github.mlpzoo.core.nn.ctr.Dice}), the MLP tower of DeepCTR and FuxiCTR
 * ({@link io.github.mlpzoo.core.nn.ctr.Tower}), DIN's attention pooling
 * ({@link io.github.mlpzoo.core.nn.ctr.AttentionPooling}), and FinalMLP's feature-selection gate and bilinear
 * fusion ({@link io.github.mlpzoo.core.nn.ctr.FeatureSelectionGate},
 * {@link io.github.mlpzoo.core.nn.ctr.BilinearFusion}).
 */
package io.github.mlpzoo.core.nn.ctr;
