/**
 * CTR data and protocols: the in-memory sample table ({@link io.github.mlpzoo.ctr.data.CtrData}), the MovieLens
 * CTR protocol loader ({@link io.github.mlpzoo.ctr.data.MovieLensCtr}), a synthetic generator with a planted
 * interest structure ({@link io.github.mlpzoo.ctr.data.PlantedInterest}), the protocol's training loop
 * ({@link io.github.mlpzoo.ctr.data.CtrTraining}) and the {@code movielens} tasks.
 */
package io.github.mlpzoo.ctr.data;
