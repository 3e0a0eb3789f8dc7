/** Tensor ops that DJL 0.29 lacks on PyTorch (roll, constant pad, multi-axis mean), written once. */
package io.github.mlpzoo.core.ops;
