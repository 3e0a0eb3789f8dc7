/**
 * Strip-MLP (Cao et al., <i>Strip-MLP: Efficient Token Interaction for Vision MLP</i>, ICCV 2023), following the
 * official Med-Process/Strip_MLP {@code models/strip_mlp.py} (commit 492d705).
 */
package io.github.mlpzoo.vision.stripmlp;
