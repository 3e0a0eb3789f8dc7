/**
 * Scaling-MLP (Bachmann, Anagnostidis &amp; Hofmann, <i>Scaling MLPs: A Tale of Inductive Bias</i>, NeurIPS 2023,
 * arXiv 2306.13575; official gregorbachmann/scaling_mlps): a plain deep MLP on flattened images with pre-norm inverted
 * bottleneck blocks.
 */
package io.github.mlpzoo.vision.scalingmlp;
