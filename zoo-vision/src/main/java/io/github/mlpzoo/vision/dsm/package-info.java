/**
 * DSM, the Dynamic Spectrum Mixer (Hu &amp; Yu, arXiv 2309.06721): token mixing in the DCT domain with
 * content-dependent spectrum weights. No official code exists; see {@link io.github.mlpzoo.vision.dsm.Dsm} for every
 * assumption made.
 */
package io.github.mlpzoo.vision.dsm;
