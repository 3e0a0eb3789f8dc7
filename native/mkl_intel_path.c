/*
 * MKL code-path shim for AMD CPUs (MLP Zoo, issue 9; see benchmarks/PERFORMANCE.md).
 *
 * libtorch bundles Intel MKL for float32 matrix multiplication. MKL asks this exported function whether the CPU is
 * an Intel one and, when it is not, runs a generic AVX2 code path; on this repository's AMD EPYC (Zen 5, AVX-512)
 * that path reaches 211 GFLOP/s on a 2048x2048 product at 2 threads, the AVX-512 path 473. MKL still picks its
 * kernels from the CPU's feature bits (CPUID), so a CPU without AVX-512 gets the AVX2 kernels, never an
 * instruction it lacks. Preloaded (LD_PRELOAD) by the ./zoo launcher on AMD CPUs; see native/mkl-intel-path.sh.
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}
