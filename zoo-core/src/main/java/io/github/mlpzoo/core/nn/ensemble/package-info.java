/**
 * Ensemble layers usable by any model: k members evaluated in one batched pass on tensors of shape
 * {@code (B, k, D)} (B batch, k members, D features). They follow the {@code tabm} package of Gorishniy et al.,
 * <i>TabM: Advancing Tabular Deep Learning with Parameter-Efficient Ensembling</i>, ICLR 2025
 * ({@code yandex-research/tabm}, {@code tabm.py}, version 0.0.3), and BatchEnsemble (Wen et al., ICLR 2020, eq. 5).
 */
package io.github.mlpzoo.core.nn.ensemble;
