/**
 * Vision datasets and their training protocols: Fashion-MNIST ({@link io.github.mlpzoo.vision.data.FashionMnist},
 * {@link io.github.mlpzoo.vision.data.FashionMnistTask}).
 */
package io.github.mlpzoo.vision.data;
