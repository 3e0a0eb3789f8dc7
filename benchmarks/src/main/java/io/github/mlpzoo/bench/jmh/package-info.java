/**
 * Throughput benchmarks (issue 9): the stated benchmark configurations ({@link io.github.mlpzoo.bench.jmh.BenchConfig}),
 * the timed work shared by the JMH suite and {@code zoo bench} ({@link io.github.mlpzoo.bench.jmh.Workload}), and
 * the JMH suite itself ({@link io.github.mlpzoo.bench.jmh.ModelBench}). The side-by-side runs against the official
 * PyTorch code live in {@code benchmarks/python/}.
 */
package io.github.mlpzoo.bench.jmh;
