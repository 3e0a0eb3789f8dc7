/**
 * Activator (Abdullah &amp; Aydin, <i>Activator: GLU Activation Function as the Core Component of a Vision
 * Transformer</i>, arXiv 2405.15953; official Abdullah-88/Activator): a patch MLP of GLU-style gating units, with no
 * token mixing.
 */
package io.github.mlpzoo.vision.activator;
