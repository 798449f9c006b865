#ifndef DESCRY_ANALYSIS_KERNEL_H
#define DESCRY_ANALYSIS_KERNEL_H

#include <stddef.h>

/// C = A·Bᵀ for row-major A (n×d) and B (m×d); C is n×m with leading dimension ldc.
/// Chooses AVX-512, AVX2+FMA or portable code at run time from the CPU's features.
void descry_similarity(const float *a, size_t n, const float *b, size_t m, size_t d, float *c, size_t ldc);

/// Which code path descry_similarity uses on this CPU: "avx512", "avx2" or "portable".
const char *descry_similarity_path(void);

#endif
