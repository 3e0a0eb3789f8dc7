/**
 * KAT, the Kolmogorov–Arnold Transformer (Yang &amp; Wang, ICLR 2025, arXiv 2409.10594; official Adamdad/kat
 * {@code katransformer.py} and Adamdad/rational_kat_cu): a ViT whose MLPs are GR-KAN layers.
 */
package io.github.mlpzoo.vision.kat;
