/** Spectral transforms built from constant matrices (DJL 0.29 has no rfft): the orthonormal 2-D DCT. */
package io.github.mlpzoo.core.nn.spectral;
