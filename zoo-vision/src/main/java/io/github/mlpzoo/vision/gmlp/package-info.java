/**
 * gMLP (Liu et al., <i>Pay Attention to MLPs</i>, NeurIPS 2021) as timm implements it ({@code timm/models/
 * mlp_mixer.py}, {@code SpatialGatingBlock} in the {@code MlpMixer} skeleton).
 */
package io.github.mlpzoo.vision.gmlp;
