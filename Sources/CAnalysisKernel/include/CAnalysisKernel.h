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

/// Exact top k of A·Bᵀ per row of A through an int16 prefilter with a proven error bound:
/// classes that cannot be in a row's top k are skipped, the rest rescored with this CPU's
/// kernel arithmetic, so the classes and scores equal those of descry_similarity_packed
/// followed by Ranking.top (ties to the lower class) bit for bit.
typedef struct descry_topk_index descry_topk_index;

/// Quantises B (m×d) under the kernel path chosen now (B itself is not kept); NULL when out
/// of memory.
descry_topk_index *descry_topk_prepare(const float *b, size_t m, size_t d);

void descry_topk_free(descry_topk_index *index);

/// Writes the top min(k, m) classes and scores of each of the n rows of A (n×d), against
/// the B the index was prepared from (passed again, unchanged, for the exact rescoring), into
/// `classes` and `scores` (n × min(k, m) each), on up to `threads` threads; returns the
/// number of (row, class) pairs scored exactly (the survivors of the prefilter).
uint64_t descry_topk(const descry_topk_index *index, const float *b, const float *a, size_t n, size_t k, int32_t *classes, float *scores, int threads);

/// The prefilter's integer kernel: "avx2-int16", "portable-int16", or "exact" (B could not be
/// bounded, e.g. non-finite values: every class is rescored).
const char *descry_topk_path(const descry_topk_index *index);

/// For benchmarks and tests: makes every later product use "avx512", "avx2", "portable" or
/// "auto" (the best this CPU has); 0 when this CPU lacks it. Matrices packed before the
/// change must not be used after it.
int descry_force_similarity_path(const char *name);

#endif
