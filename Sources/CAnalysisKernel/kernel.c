// The similarity kernel of DescryAnalysis. Written in C so that the AVX2/AVX-512 variants can be
// compiled with per-function target attributes and chosen at run time: Swift compiles for the
// x86-64 baseline (SSE2), which leaves most of a modern core's width unused.
#include "CAnalysisKernel.h"
#include <stdlib.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define DESCRY_X86 1
#endif

// Tiles keep a block of A rows and a block of B rows in L2 while every pair is multiplied.
enum { TILE_A = 256, TILE_B = 64 };

static void portable_block(const float *a, size_t n, const float *b, size_t m, size_t d, float *c, size_t ldc) {
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < m; j++) {
            const float *x = a + i * d, *y = b + j * d;
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            size_t k = 0;
            for (; k + 4 <= d; k += 4) { s0 += x[k] * y[k]; s1 += x[k + 1] * y[k + 1]; s2 += x[k + 2] * y[k + 2]; s3 += x[k + 3] * y[k + 3]; }
            float s = (s0 + s1) + (s2 + s3);
            for (; k < d; k++) s += x[k] * y[k];
            c[i * ldc + j] = s;
        }
    }
}

#ifdef DESCRY_X86
__attribute__((target("avx2,fma")))
static inline float hsum256(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
    return _mm_cvtss_f32(lo);
}

// 4 rows of A × 2 rows of B per step (8 accumulators + 6 loads fit the 16 ymm registers).
__attribute__((target("avx2,fma")))
static void avx2_block(const float *a, size_t n, const float *b, size_t m, size_t d, float *c, size_t ldc) {
    size_t d8 = d & ~(size_t)7;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const float *a0 = a + i * d, *a1 = a0 + d, *a2 = a1 + d, *a3 = a2 + d;
        size_t j = 0;
        for (; j + 2 <= m; j += 2) {
            const float *b0 = b + j * d, *b1 = b0 + d;
            __m256 s00 = _mm256_setzero_ps(), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
            for (size_t k = 0; k < d8; k += 8) {
                __m256 y0 = _mm256_loadu_ps(b0 + k), y1 = _mm256_loadu_ps(b1 + k);
                __m256 x = _mm256_loadu_ps(a0 + k); s00 = _mm256_fmadd_ps(x, y0, s00); s01 = _mm256_fmadd_ps(x, y1, s01);
                x = _mm256_loadu_ps(a1 + k); s10 = _mm256_fmadd_ps(x, y0, s10); s11 = _mm256_fmadd_ps(x, y1, s11);
                x = _mm256_loadu_ps(a2 + k); s20 = _mm256_fmadd_ps(x, y0, s20); s21 = _mm256_fmadd_ps(x, y1, s21);
                x = _mm256_loadu_ps(a3 + k); s30 = _mm256_fmadd_ps(x, y0, s30); s31 = _mm256_fmadd_ps(x, y1, s31);
            }
            float r[8] = { hsum256(s00), hsum256(s01), hsum256(s10), hsum256(s11), hsum256(s20), hsum256(s21), hsum256(s30), hsum256(s31) };
            for (size_t k = d8; k < d; k++) {
                r[0] += a0[k] * b0[k]; r[1] += a0[k] * b1[k]; r[2] += a1[k] * b0[k]; r[3] += a1[k] * b1[k];
                r[4] += a2[k] * b0[k]; r[5] += a2[k] * b1[k]; r[6] += a3[k] * b0[k]; r[7] += a3[k] * b1[k];
            }
            for (int q = 0; q < 4; q++) { c[(i + q) * ldc + j] = r[2 * q]; c[(i + q) * ldc + j + 1] = r[2 * q + 1]; }
        }
        if (j < m) portable_block(a + i * d, 4, b + j * d, m - j, d, c + i * ldc + j, ldc);
    }
    if (i < n) portable_block(a + i * d, n - i, b, m, d, c + i * ldc, ldc);
}

// 4 rows of A × 4 rows of B per step: 16 zmm accumulators of the 32 registers.
__attribute__((target("avx512f")))
static void avx512_block(const float *a, size_t n, const float *b, size_t m, size_t d, float *c, size_t ldc) {
    size_t d16 = d & ~(size_t)15;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const float *ar[4] = { a + i * d, a + (i + 1) * d, a + (i + 2) * d, a + (i + 3) * d };
        size_t j = 0;
        for (; j + 4 <= m; j += 4) {
            const float *br[4] = { b + j * d, b + (j + 1) * d, b + (j + 2) * d, b + (j + 3) * d };
            __m512 s[4][4];
            for (int p = 0; p < 4; p++) for (int q = 0; q < 4; q++) s[p][q] = _mm512_setzero_ps();
            for (size_t k = 0; k < d16; k += 16) {
                __m512 y0 = _mm512_loadu_ps(br[0] + k), y1 = _mm512_loadu_ps(br[1] + k), y2 = _mm512_loadu_ps(br[2] + k), y3 = _mm512_loadu_ps(br[3] + k);
                for (int p = 0; p < 4; p++) {
                    __m512 x = _mm512_loadu_ps(ar[p] + k);
                    s[p][0] = _mm512_fmadd_ps(x, y0, s[p][0]); s[p][1] = _mm512_fmadd_ps(x, y1, s[p][1]);
                    s[p][2] = _mm512_fmadd_ps(x, y2, s[p][2]); s[p][3] = _mm512_fmadd_ps(x, y3, s[p][3]);
                }
            }
            for (int p = 0; p < 4; p++) for (int q = 0; q < 4; q++) {
                float r = _mm512_reduce_add_ps(s[p][q]);
                for (size_t k = d16; k < d; k++) r += ar[p][k] * br[q][k];
                c[(i + p) * ldc + j + q] = r;
            }
        }
        if (j < m) portable_block(a + i * d, 4, b + j * d, m - j, d, c + i * ldc + j, ldc);
    }
    if (i < n) portable_block(a + i * d, n - i, b, m, d, c + i * ldc, ldc);
}

// AVX-512 with B packed column-major per tile of 64 rows: C[i, j..j+63] accumulates
// a[i,k] · Bt[k, j..j+63], so no horizontal sums are needed (4 rows × 64 columns = 16 zmm
// accumulators). `bt` holds ceil(m/64) tiles of d × 64 floats.
__attribute__((target("avx512f")))
static void avx512_packed(const float *a, size_t n, const float *bt, size_t m, size_t d, float *c, size_t ldc) {
    for (size_t i0 = 0; i0 < n; i0 += TILE_A) {
        size_t ie = n - i0 < TILE_A ? n : i0 + TILE_A;
        for (size_t j0 = 0; j0 < m; j0 += 64) {
            const float *t = bt + (j0 / 64) * d * 64;
            size_t nj = m - j0 < 64 ? m - j0 : 64;
            __mmask16 mask[4];
            for (int q = 0; q < 4; q++) {
                long left = (long)nj - 16 * q;
                mask[q] = left >= 16 ? (__mmask16)0xFFFF : (left <= 0 ? (__mmask16)0 : (__mmask16)((1u << left) - 1));
            }
            size_t i = i0;
            for (; i + 4 <= ie; i += 4) {
                const float *a0 = a + i * d, *a1 = a0 + d, *a2 = a1 + d, *a3 = a2 + d;
                __m512 s00 = _mm512_setzero_ps(), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00;
                __m512 s20 = s00, s21 = s00, s22 = s00, s23 = s00, s30 = s00, s31 = s00, s32 = s00, s33 = s00;
                for (size_t k = 0; k < d; k++) {
                    const float *row = t + k * 64;
                    __m512 y0 = _mm512_load_ps(row), y1 = _mm512_load_ps(row + 16), y2 = _mm512_load_ps(row + 32), y3 = _mm512_load_ps(row + 48);
                    __m512 x = _mm512_set1_ps(a0[k]);
                    s00 = _mm512_fmadd_ps(x, y0, s00); s01 = _mm512_fmadd_ps(x, y1, s01); s02 = _mm512_fmadd_ps(x, y2, s02); s03 = _mm512_fmadd_ps(x, y3, s03);
                    x = _mm512_set1_ps(a1[k]);
                    s10 = _mm512_fmadd_ps(x, y0, s10); s11 = _mm512_fmadd_ps(x, y1, s11); s12 = _mm512_fmadd_ps(x, y2, s12); s13 = _mm512_fmadd_ps(x, y3, s13);
                    x = _mm512_set1_ps(a2[k]);
                    s20 = _mm512_fmadd_ps(x, y0, s20); s21 = _mm512_fmadd_ps(x, y1, s21); s22 = _mm512_fmadd_ps(x, y2, s22); s23 = _mm512_fmadd_ps(x, y3, s23);
                    x = _mm512_set1_ps(a3[k]);
                    s30 = _mm512_fmadd_ps(x, y0, s30); s31 = _mm512_fmadd_ps(x, y1, s31); s32 = _mm512_fmadd_ps(x, y2, s32); s33 = _mm512_fmadd_ps(x, y3, s33);
                }
                float *c0 = c + i * ldc + j0, *c1 = c0 + ldc, *c2 = c1 + ldc, *c3 = c2 + ldc;
                _mm512_mask_storeu_ps(c0, mask[0], s00); _mm512_mask_storeu_ps(c0 + 16, mask[1], s01); _mm512_mask_storeu_ps(c0 + 32, mask[2], s02); _mm512_mask_storeu_ps(c0 + 48, mask[3], s03);
                _mm512_mask_storeu_ps(c1, mask[0], s10); _mm512_mask_storeu_ps(c1 + 16, mask[1], s11); _mm512_mask_storeu_ps(c1 + 32, mask[2], s12); _mm512_mask_storeu_ps(c1 + 48, mask[3], s13);
                _mm512_mask_storeu_ps(c2, mask[0], s20); _mm512_mask_storeu_ps(c2 + 16, mask[1], s21); _mm512_mask_storeu_ps(c2 + 32, mask[2], s22); _mm512_mask_storeu_ps(c2 + 48, mask[3], s23);
                _mm512_mask_storeu_ps(c3, mask[0], s30); _mm512_mask_storeu_ps(c3 + 16, mask[1], s31); _mm512_mask_storeu_ps(c3 + 32, mask[2], s32); _mm512_mask_storeu_ps(c3 + 48, mask[3], s33);
            }
            for (; i < ie; i++) {
                const float *a0 = a + i * d;
                __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
                for (size_t k = 0; k < d; k++) {
                    const float *row = t + k * 64;
                    __m512 x = _mm512_set1_ps(a0[k]);
                    s0 = _mm512_fmadd_ps(x, _mm512_load_ps(row), s0); s1 = _mm512_fmadd_ps(x, _mm512_load_ps(row + 16), s1);
                    s2 = _mm512_fmadd_ps(x, _mm512_load_ps(row + 32), s2); s3 = _mm512_fmadd_ps(x, _mm512_load_ps(row + 48), s3);
                }
                float *c0 = c + i * ldc + j0;
                _mm512_mask_storeu_ps(c0, mask[0], s0); _mm512_mask_storeu_ps(c0 + 16, mask[1], s1);
                _mm512_mask_storeu_ps(c0 + 32, mask[2], s2); _mm512_mask_storeu_ps(c0 + 48, mask[3], s3);
            }
        }
    }
}

/// Packs B (m×d) into tiles of d × 64 floats, zero-padded, 64-byte aligned; NULL on failure.
static float *pack_b(const float *b, size_t m, size_t d) {
    size_t tiles = (m + 63) / 64;
    float *bt = aligned_alloc(64, tiles * d * 64 * sizeof(float));
    if (!bt) return NULL;
    for (size_t tile = 0; tile < tiles; tile++) {
        float *t = bt + tile * d * 64;
        for (size_t q = 0; q < 64; q++) {
            size_t j = tile * 64 + q;
            if (j < m) { const float *row = b + j * d; for (size_t k = 0; k < d; k++) t[k * 64 + q] = row[k]; }
            else { for (size_t k = 0; k < d; k++) t[k * 64 + q] = 0; }
        }
    }
    return bt;
}
#endif

typedef void (*block_fn)(const float *, size_t, const float *, size_t, size_t, float *, size_t);

static block_fn choose(const char **name) {
#ifdef DESCRY_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) { *name = "avx512"; return avx512_block; }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) { *name = "avx2"; return avx2_block; }
#endif
    *name = "portable";
    return portable_block;
}

const char *descry_similarity_path(void) {
    const char *name;
    (void)choose(&name);
    return name;
}

void descry_similarity(const float *a, size_t n, const float *b, size_t m, size_t d, float *c, size_t ldc) {
    const char *name;
    block_fn f = choose(&name);
#ifdef DESCRY_X86
    // Packing B costs one pass over it; worth it once A has more than a few rows.
    if (name[3] == '5' && n >= 16 && d > 0) {
        float *bt = pack_b(b, m, d);
        if (bt) { avx512_packed(a, n, bt, m, d, c, ldc); free(bt); return; }
    }
#endif
    for (size_t i0 = 0; i0 < n; i0 += TILE_A) {
        size_t ni = n - i0 < TILE_A ? n - i0 : TILE_A;
        for (size_t j0 = 0; j0 < m; j0 += TILE_B) {
            size_t nj = m - j0 < TILE_B ? m - j0 : TILE_B;
            f(a + i0 * d, ni, b + j0 * d, nj, d, c + i0 * ldc + j0, ldc);
        }
    }
}
