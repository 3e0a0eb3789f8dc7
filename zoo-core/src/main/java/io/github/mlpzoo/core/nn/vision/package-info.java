/**
 * Pieces of vision backbones: the convolutional patch embedding (stems and downsampling layers),
 * GroupNorm (PoolFormer's one-group form normalizes each sample over channels and space), and the channel MLP
 * made of 1×1 convolutions that hierarchical NCHW models use.
 */
package io.github.mlpzoo.core.nn.vision;
