/**
 * PoolFormer (Yu et al., <i>MetaFormer Is Actually What You Need for Vision</i>, CVPR 2022), following the official
 * sail-sg/poolformer {@code models/poolformer.py}.
 */
package io.github.mlpzoo.vision.poolformer;
