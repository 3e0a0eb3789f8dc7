/**
 * Feature encodings for tabular models, following {@code yandex-research/rtdl-num-embeddings}
 * ({@code package/rtdl_num_embeddings.py}; Gorishniy et al., <i>On Embeddings for Numerical Features in Tabular
 * Deep Learning</i>, NeurIPS 2022) and {@code yandex-research/tabm} ({@code tabm.py}, {@code paper/lib/deep.py}):
 * piecewise-linear embeddings (version "B"), periodic embeddings and one-hot categorical encoding.
 */
package io.github.mlpzoo.core.nn.embeddings;
