/**
 * Token mixers of vision MLPs and the MetaFormer block that holds one: the token-mixing MLP of MLP-Mixer, the
 * spatial gating unit of gMLP, PoolFormer's pooling mixer, and
 * {@link io.github.mlpzoo.core.nn.tokenmix.MetaFormerBlock} (norm → token mixer → residual → norm → channel MLP →
 * residual) that Mixer, PoolFormer and the hierarchical models share.
 */
package io.github.mlpzoo.core.nn.tokenmix;
