/**
 * The gated channel MLPs: the GLU family (GLU, ReGLU, GEGLU, SwiGLU, bilinear) and gMLP's gated MLP, one class
 * ({@link io.github.mlpzoo.core.nn.glu.GatedMlp}) whose gate is either an activation on half of the channels or a
 * block such as the spatial gating unit.
 */
package io.github.mlpzoo.core.nn.glu;
