/**
 * KAN (Liu et al., <i>KAN: Kolmogorov–Arnold Networks</i>, arXiv 2404.19756) as efficient-kan builds it: stacked
 * B-spline KAN layers, for regression and classification on feature vectors.
 */
package io.github.mlpzoo.tabular.kan;
