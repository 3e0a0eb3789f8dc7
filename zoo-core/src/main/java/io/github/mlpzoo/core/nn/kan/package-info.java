/**
 * Kolmogorov–Arnold layers: learnable functions on edges instead of fixed activations on nodes.
 * {@link io.github.mlpzoo.core.nn.kan.BSplineKanLinear} (efficient-kan's B-spline layer with grid update),
 * {@link io.github.mlpzoo.core.nn.kan.GroupRational} (KAT's group-rational activation, GR-KAN) and
 * {@link io.github.mlpzoo.core.nn.kan.SelectableKanLinear} (S-KAN: edges mixing several activation spaces).
 */
package io.github.mlpzoo.core.nn.kan;
