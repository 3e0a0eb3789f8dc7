/**
 * FinalMLP (Mao et al., <i>FinalMLP: An Enhanced Two-Stream MLP Model for CTR Prediction</i>, AAAI 2023) and its
 * DualMLP baseline, faithful to FuxiCTR's {@code model_zoo/FinalMLP}.
 */
package io.github.mlpzoo.ctr.finalmlp;
