/** Softmax self-attention over tokens, for the transformer-shaped models of the zoo (KAT). */
package io.github.mlpzoo.core.nn.attention;
