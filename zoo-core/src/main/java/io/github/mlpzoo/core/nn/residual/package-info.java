/**
 * Pieces around a residual branch: stochastic depth ({@link io.github.mlpzoo.core.nn.residual.DropPath}) and
 * per-channel layer scale ({@link io.github.mlpzoo.core.nn.residual.LayerScale}).
 */
package io.github.mlpzoo.core.nn.residual;
