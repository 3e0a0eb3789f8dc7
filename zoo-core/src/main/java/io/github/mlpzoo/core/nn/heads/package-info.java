/**
 * Output heads usable on any model: {@link io.github.mlpzoo.core.nn.heads.FourierHead} (a smooth categorical
 * distribution from a learned Fourier density) and {@link io.github.mlpzoo.core.nn.heads.MatryoshkaHead} (nested
 * prefix classifiers).
 */
package io.github.mlpzoo.core.nn.heads;
