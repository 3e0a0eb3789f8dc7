/**
 * TabM (Gorishniy et al., ICLR 2025; {@code yandex-research/tabm}, {@code tabm.py} 0.0.3): the model, its
 * configuration, the official key map and the registered variants.
 */
package io.github.mlpzoo.tabular.tabm;
