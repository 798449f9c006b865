#ifndef DESCRY_ANALYSIS_KERNEL_H
#define DESCRY_ANALYSIS_KERNEL_H

#include <stddef.h>
#include <stdint.h>

/// C = A·Bᵀ for row-major A (n×d) and B (m×d); C is n×m with leading dimension ldc.
/// Chooses AVX-512, AVX2+FMA or portable code at run time from the CPU's features. One thread.
void descry_similarity(const float *a, size_t n, const float *b, size_t m, size_t d, float *c, size_t ldc);

/// descry_similarity on up to `threads` threads (rows of A split between them; small products
/// stay on one). The result does not depend on `threads`.
void descry_similarity_threads(const float *a, size_t n, const float *b, size_t m, size_t d, float *c, size_t ldc, int threads);

/// Floats to allocate for B (m×d) packed for the kernel of this CPU (with slack for alignment).
size_t descry_packed_size(size_t m, size_t d);

/// Packs B (m×d) into `packed` (descry_packed_size(m, d) floats) on up to `threads` threads,
/// for many products against it.
void descry_pack(const float *b, size_t m, size_t d, float *packed, int threads);

/// C = A·Bᵀ for A (n×d) and a B packed by descry_pack, on up to `threads` threads. Each row of C
/// is computed the same way whatever `threads` and n are.
void descry_similarity_packed(const float *a, size_t n, const float *packed, size_t m, size_t d, float *c, size_t ldc, int threads);

/// Which code path descry_similarity uses on this CPU: "avx512", "avx2" or "portable".
const char *descry_similarity_path(void);

/// FuDD's mean of similarities before the division: the sum over the listed rows r of
/// x·(base + r·d). Vectorised like the kernel (AVX2+FMA where the CPU has it).
float descry_sum_of_dots(const float *x, const float *base, const int32_t *rows, size_t count, size_t d);

/// FuDD's similarity of mean: x·S / |S| for S the sum of the listed rows of `base` (d floats
/// each), each element of S summed in the listed order; 0 when |S| = 0.
float descry_cosine_to_sum(const float *x, const float *base, const int32_t *rows, size_t count, size_t d);

#endif
