/**
 * MS-MLP (Zheng et al., <i>Mixing and Shifting: Exploiting Global and Local Dependencies in Vision MLPs</i>,
 * arXiv 2202.06510), following the official JegZheng/MS-MLP {@code models/ms_mlp.py} (commit a10d34d).
 */
package io.github.mlpzoo.vision.msmlp;
