/**
 * MLP-Mixer (Tolstikhin et al., <i>MLP-Mixer: An all-MLP Architecture for Vision</i>, NeurIPS 2021) as timm
 * implements it ({@code timm/models/mlp_mixer.py}): {@link io.github.mlpzoo.vision.mixer.MlpMixer} is timm's
 * {@code MlpMixer} skeleton (patch stem, a stack of blocks, LayerNorm, token mean, linear head), shared with gMLP.
 */
package io.github.mlpzoo.vision.mixer;
