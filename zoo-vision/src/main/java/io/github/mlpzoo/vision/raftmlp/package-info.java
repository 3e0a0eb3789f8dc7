/**
 * RaftMLP (Tatsunami &amp; Taki, <i>RaftMLP: How Much Can Be Done Without Attention and with Less Spatial
 * Locality?</i>, arXiv 2108.04384 v2), following the official okojoalg/raft-mlp {@code libs/models.py} and
 * {@code libs/modules.py} (commit 6060d5d).
 */
package io.github.mlpzoo.vision.raftmlp;
