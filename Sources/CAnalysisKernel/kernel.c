// The similarity kernel of DescryAnalysis. Written in C so that the AVX2/AVX-512 variants can be
// compiled with per-function target attributes and chosen at run time: Swift compiles for the
// x86-64 baseline (SSE2), which leaves most of a modern core's width unused.
#include "CAnalysisKernel.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define DESCRY_X86 1
#endif

// Tiles keep a block of A rows and a block of B rows in L2 while every pair is multiplied.
enum { TILE_A = 256, TILE_B = 64 };
// The packed AVX2 kernel: tiles of 16 B rows, 6 A rows per step, 192 A rows per L2 block.
enum { AVX2_TILE = 16, AVX2_MR = 6, AVX2_ROWS = 192 };

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

// AVX2+FMA with B packed column-major per tile of 16 rows: C[i, j..j+15] accumulates
// a[i,k] · Bt[k, j..j+15] in k order (6 rows × 2 ymm = 12 accumulators, 2 loads and a
// broadcast: 15 of the 16 ymm registers). Every element is one FMA chain over k from zero, so
// a row's result does not depend on how rows are split between threads.
__attribute__((target("avx2,fma"), always_inline))
static inline void avx2_micro(int rows, const float *a, size_t d, const float *t, size_t nj, float *c, size_t ldc) {
    __m256 acc[AVX2_MR][2];
    for (int r = 0; r < rows; r++) { acc[r][0] = _mm256_setzero_ps(); acc[r][1] = _mm256_setzero_ps(); }
    for (size_t k = 0; k < d; k++) {
        __m256 y0 = _mm256_load_ps(t + k * AVX2_TILE), y1 = _mm256_load_ps(t + k * AVX2_TILE + 8);
        for (int r = 0; r < rows; r++) {
            __m256 x = _mm256_broadcast_ss(a + r * d + k);
            acc[r][0] = _mm256_fmadd_ps(x, y0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(x, y1, acc[r][1]);
        }
    }
    for (int r = 0; r < rows; r++) {
        float *cr = c + r * ldc;
        if (nj == AVX2_TILE) { _mm256_storeu_ps(cr, acc[r][0]); _mm256_storeu_ps(cr + 8, acc[r][1]); }
        else {
            float tmp[AVX2_TILE] __attribute__((aligned(32)));
            _mm256_store_ps(tmp, acc[r][0]); _mm256_store_ps(tmp + 8, acc[r][1]);
            for (size_t q = 0; q < nj; q++) cr[q] = tmp[q];
        }
    }
}

// Rows [i0, i1) of A against every packed tile: blocks of AVX2_ROWS rows stay in L2 while the
// tiles of B pass through it.
__attribute__((target("avx2,fma")))
static void avx2_packed(const float *a, size_t i0, size_t i1, const float *bt, size_t m, size_t d, float *c, size_t ldc) {
    for (size_t ib = i0; ib < i1; ib += AVX2_ROWS) {
        size_t ie = i1 - ib < AVX2_ROWS ? i1 : ib + AVX2_ROWS;
        for (size_t j0 = 0; j0 < m; j0 += AVX2_TILE) {
            const float *t = bt + (j0 / AVX2_TILE) * d * AVX2_TILE;
            size_t nj = m - j0 < AVX2_TILE ? m - j0 : AVX2_TILE;
            size_t i = ib;
            for (; i + AVX2_MR <= ie; i += AVX2_MR) avx2_micro(AVX2_MR, a + i * d, d, t, nj, c + i * ldc + j0, ldc);
            switch (ie - i) {
            case 5: avx2_micro(5, a + i * d, d, t, nj, c + i * ldc + j0, ldc); break;
            case 4: avx2_micro(4, a + i * d, d, t, nj, c + i * ldc + j0, ldc); break;
            case 3: avx2_micro(3, a + i * d, d, t, nj, c + i * ldc + j0, ldc); break;
            case 2: avx2_micro(2, a + i * d, d, t, nj, c + i * ldc + j0, ldc); break;
            case 1: avx2_micro(1, a + i * d, d, t, nj, c + i * ldc + j0, ldc); break;
            default: break;
            }
        }
    }
}
#endif

// Packs tiles [t0, t1) of B (m×d) into `bt`: tile q holds rows q·w … q·w+w−1 column-major
// (d × w floats), zero-padded past m.
static void pack_tiles(const float *b, size_t m, size_t d, size_t w, size_t t0, size_t t1, float *bt) {
    for (size_t tile = t0; tile < t1; tile++) {
        float *t = bt + tile * d * w;
        for (size_t q = 0; q < w; q++) {
            size_t j = tile * w + q;
            if (j < m) { const float *row = b + j * d; for (size_t k = 0; k < d; k++) t[k * w + q] = row[k]; }
            else { for (size_t k = 0; k < d; k++) t[k * w + q] = 0; }
        }
    }
}

typedef void (*block_fn)(const float *, size_t, const float *, size_t, size_t, float *, size_t);

enum { KIND_PORTABLE = 0, KIND_AVX2 = 1, KIND_AVX512 = 2 };

static int detect_kind(void) {
#ifdef DESCRY_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return KIND_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return KIND_AVX2;
#endif
    return KIND_PORTABLE;
}

// Looked up once: FuDD's re-ranking asks per (image, class). A race between first callers
// writes the same value.
static int kind_holder = -1;

static int choose_kind(void) {
    int k = __atomic_load_n(&kind_holder, __ATOMIC_RELAXED);
    if (k < 0) { k = detect_kind(); __atomic_store_n(&kind_holder, k, __ATOMIC_RELAXED); }
    return k;
}

static block_fn block_for(int kind) {
#ifdef DESCRY_X86
    if (kind == KIND_AVX512) return avx512_block;
    if (kind == KIND_AVX2) return avx2_block;
#endif
    (void)kind;
    return portable_block;
}

const char *descry_similarity_path(void) {
    switch (choose_kind()) {
    case KIND_AVX512: return "avx512";
    case KIND_AVX2: return "avx2";
    default: return "portable";
    }
}

// The unpacked path: L2 tiles of A and B through the register-blocked kernel.
static void unpacked_rows(int kind, const float *a, size_t n, const float *b, size_t m, size_t d, float *c, size_t ldc) {
    block_fn f = block_for(kind);
    for (size_t i0 = 0; i0 < n; i0 += TILE_A) {
        size_t ni = n - i0 < TILE_A ? n - i0 : TILE_A;
        for (size_t j0 = 0; j0 < m; j0 += TILE_B) {
            size_t nj = m - j0 < TILE_B ? m - j0 : TILE_B;
            f(a + i0 * d, ni, b + j0 * d, nj, d, c + i0 * ldc + j0, ldc);
        }
    }
}

// ---- Threads: a job split into parts, part 0 on the caller's thread. A thread that cannot
// be started runs its part on the caller's thread instead, so the result never depends on it.
enum { MAX_THREADS = 64 };
typedef void (*part_fn)(void *ctx, size_t part, size_t parts);
typedef struct { part_fn fn; void *ctx; size_t part, parts; } part_job;

static void *part_main(void *p) {
    part_job *j = p;
    j->fn(j->ctx, j->part, j->parts);
    return NULL;
}

static void run_parts(part_fn fn, void *ctx, size_t parts) {
    if (parts <= 1) { fn(ctx, 0, 1); return; }
    if (parts > MAX_THREADS) parts = MAX_THREADS;
    pthread_t th[MAX_THREADS];
    part_job jobs[MAX_THREADS];
    int started[MAX_THREADS];
    for (size_t p = 1; p < parts; p++) {
        jobs[p] = (part_job){ fn, ctx, p, parts };
        started[p] = pthread_create(&th[p], NULL, part_main, &jobs[p]) == 0;
    }
    fn(ctx, 0, parts);
    for (size_t p = 1; p < parts; p++) {
        if (started[p]) pthread_join(th[p], NULL); else fn(ctx, p, parts);
    }
}

// Below about a million multiply-adds a thread costs more than it saves.
static size_t useful_parts(size_t units, size_t work, int threads) {
    size_t t = threads < 1 ? 1 : (size_t)threads;
    if (t > MAX_THREADS) t = MAX_THREADS;
    size_t by_work = work / ((size_t)1 << 20);
    if (by_work < t) t = by_work < 1 ? 1 : by_work;
    if (units < t) t = units < 1 ? 1 : units;
    return t;
}

// ---- Packed B: for the AVX kernels ceil(m/w) tiles of d × w floats (w = 16 for AVX2, 64 for
// AVX-512), for the portable kernel a copy of B; in a buffer of the caller's, from its first
// 64-byte boundary (hence the 16 floats of slack).
static size_t tile_width(int kind) { return kind == KIND_AVX512 ? 64 : kind == KIND_AVX2 ? AVX2_TILE : 0; }

static size_t packed_floats(int kind, size_t m, size_t d) {
    size_t w = tile_width(kind);
    return (w ? ((m + w - 1) / w) * d * w : m * d) + 16;
}

static float *aligned_base(float *p) { return (float *)(((size_t)p + 63) & ~(size_t)63); }

typedef struct { const float *b; size_t m, d, w, tiles; float *out; } pack_ctx;

static void pack_part(void *ctx, size_t part, size_t parts) {
    pack_ctx *x = ctx;
    size_t t0 = x->tiles * part / parts, t1 = x->tiles * (part + 1) / parts;
    pack_tiles(x->b, x->m, x->d, x->w, t0, t1, x->out);
}

static void pack_kind(int kind, const float *b, size_t m, size_t d, float *packed, int threads) {
    float *out = aligned_base(packed);
    size_t w = tile_width(kind);
    if (!w) { if (m * d) memcpy(out, b, m * d * sizeof(float)); return; }
    pack_ctx x = { b, m, d, w, (m + w - 1) / w, out };
    run_parts(pack_part, &x, useful_parts(x.tiles, m * d * 8, threads));
}

size_t descry_packed_size(size_t m, size_t d) { return packed_floats(choose_kind(), m, d); }

void descry_pack(const float *b, size_t m, size_t d, float *packed, int threads) {
    pack_kind(choose_kind(), b, m, d, packed, threads);
}

typedef struct { int kind; const float *a; size_t n; const float *bt; size_t m, d; float *c; size_t ldc, step; } mul_ctx;

static void mul_part(void *ctx, size_t part, size_t parts) {
    mul_ctx *x = ctx;
    // Rows split in whole steps of the micro-kernel's height.
    size_t steps = (x->n + x->step - 1) / x->step;
    size_t i0 = steps * part / parts * x->step, i1 = steps * (part + 1) / parts * x->step;
    if (i1 > x->n) i1 = x->n;
    if (i0 >= i1) return;
    size_t d = x->d;
#ifdef DESCRY_X86
    if (x->kind == KIND_AVX512) { avx512_packed(x->a + i0 * d, i1 - i0, x->bt, x->m, d, x->c + i0 * x->ldc, x->ldc); return; }
    if (x->kind == KIND_AVX2) { avx2_packed(x->a, i0, i1, x->bt, x->m, d, x->c, x->ldc); return; }
#endif
    unpacked_rows(KIND_PORTABLE, x->a + i0 * d, i1 - i0, x->bt, x->m, d, x->c + i0 * x->ldc, x->ldc);
}

static void multiply_packed(int kind, const float *a, size_t n, const float *packed, size_t m, size_t d, float *c, size_t ldc, int threads) {
    if (n == 0 || m == 0) return;
    if (d == 0) { for (size_t i = 0; i < n; i++) memset(c + i * ldc, 0, m * sizeof(float)); return; }
    mul_ctx x = { kind, a, n, aligned_base((float *)packed), m, d, c, ldc, kind == KIND_AVX2 ? AVX2_MR : 4 };
    size_t steps = (n + x.step - 1) / x.step;
    run_parts(mul_part, &x, useful_parts(steps, n * m * d, threads));
}

void descry_similarity_packed(const float *a, size_t n, const float *packed, size_t m, size_t d, float *c, size_t ldc, int threads) {
    multiply_packed(choose_kind(), a, n, packed, m, d, c, ldc, threads);
}

void descry_similarity_threads(const float *a, size_t n, const float *b, size_t m, size_t d, float *c, size_t ldc, int threads) {
    int kind = choose_kind();
    // Packing B costs one pass over it; worth it once A has more than a few rows.
    if (kind != KIND_PORTABLE && n >= 16 && d > 0) {
        float *packed = malloc(packed_floats(kind, m, d) * sizeof(float));
        if (packed) {
            pack_kind(kind, b, m, d, packed, threads);
            multiply_packed(kind, a, n, packed, m, d, c, ldc, threads);
            free(packed);
            return;
        }
    }
    unpacked_rows(kind, a, n, b, m, d, c, ldc);
}

void descry_similarity(const float *a, size_t n, const float *b, size_t m, size_t d, float *c, size_t ldc) {
    descry_similarity_threads(a, n, b, m, d, c, ldc, 1);
}

// ---- FuDD's re-ranking: one class's sentences (rows of the sentence matrix) against one image.

static float portable_sum_of_dots(const float *x, const float *base, const int32_t *rows, size_t count, size_t d) {
    float total = 0;
    for (size_t j = 0; j < count; j++) {
        const float *y = base + (size_t)rows[j] * d;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        size_t k = 0;
        for (; k + 4 <= d; k += 4) { s0 += x[k] * y[k]; s1 += x[k + 1] * y[k + 1]; s2 += x[k + 2] * y[k + 2]; s3 += x[k + 3] * y[k + 3]; }
        float s = (s0 + s1) + (s2 + s3);
        for (; k < d; k++) s += x[k] * y[k];
        total += s;
    }
    return total;
}

static float portable_cosine_to_sum(const float *x, const float *base, const int32_t *rows, size_t count, size_t d) {
    enum { W = 16 };
    float dot = 0, norm = 0;
    for (size_t k0 = 0; k0 < d; k0 += W) {
        size_t w = d - k0 < W ? d - k0 : W;
        float s[W] = { 0 };
        for (size_t j = 0; j < count; j++) {
            const float *y = base + (size_t)rows[j] * d + k0;
            for (size_t t = 0; t < w; t++) s[t] += y[t];
        }
        for (size_t t = 0; t < w; t++) { dot += x[k0 + t] * s[t]; norm += s[t] * s[t]; }
    }
    norm = sqrtf(norm);
    return norm > 0 ? dot / norm : 0;
}

#ifdef DESCRY_X86
// Four rows per pass share each load of x; two chunks of x per step for eight FMA chains.
__attribute__((target("avx2,fma")))
static float avx2_sum_of_dots(const float *x, const float *base, const int32_t *rows, size_t count, size_t d) {
    size_t d16 = d & ~(size_t)15;
    float total = 0;
    size_t j = 0;
    for (; j + 4 <= count; j += 4) {
        const float *y0 = base + (size_t)rows[j] * d, *y1 = base + (size_t)rows[j + 1] * d;
        const float *y2 = base + (size_t)rows[j + 2] * d, *y3 = base + (size_t)rows[j + 3] * d;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        size_t k = 0;
        for (; k < d16; k += 16) {
            __m256 u = _mm256_loadu_ps(x + k), v = _mm256_loadu_ps(x + k + 8);
            a0 = _mm256_fmadd_ps(u, _mm256_loadu_ps(y0 + k), a0); b0 = _mm256_fmadd_ps(v, _mm256_loadu_ps(y0 + k + 8), b0);
            a1 = _mm256_fmadd_ps(u, _mm256_loadu_ps(y1 + k), a1); b1 = _mm256_fmadd_ps(v, _mm256_loadu_ps(y1 + k + 8), b1);
            a2 = _mm256_fmadd_ps(u, _mm256_loadu_ps(y2 + k), a2); b2 = _mm256_fmadd_ps(v, _mm256_loadu_ps(y2 + k + 8), b2);
            a3 = _mm256_fmadd_ps(u, _mm256_loadu_ps(y3 + k), a3); b3 = _mm256_fmadd_ps(v, _mm256_loadu_ps(y3 + k + 8), b3);
        }
        float s0 = hsum256(_mm256_add_ps(a0, b0)), s1 = hsum256(_mm256_add_ps(a1, b1));
        float s2 = hsum256(_mm256_add_ps(a2, b2)), s3 = hsum256(_mm256_add_ps(a3, b3));
        for (; k < d; k++) { s0 += x[k] * y0[k]; s1 += x[k] * y1[k]; s2 += x[k] * y2[k]; s3 += x[k] * y3[k]; }
        total += s0; total += s1; total += s2; total += s3;
    }
    for (; j < count; j++) {
        const float *y = base + (size_t)rows[j] * d;
        __m256 a = _mm256_setzero_ps(), b = a;
        size_t k = 0;
        for (; k < d16; k += 16) {
            a = _mm256_fmadd_ps(_mm256_loadu_ps(x + k), _mm256_loadu_ps(y + k), a);
            b = _mm256_fmadd_ps(_mm256_loadu_ps(x + k + 8), _mm256_loadu_ps(y + k + 8), b);
        }
        float s = hsum256(_mm256_add_ps(a, b));
        for (; k < d; k++) s += x[k] * y[k];
        total += s;
    }
    return total;
}

// 32 floats of S at a time in registers (summed over the rows in order, as a plain
// element-by-element sum would), then folded into x·S and S·S; S is never stored.
__attribute__((target("avx2,fma")))
static float avx2_cosine_to_sum(const float *x, const float *base, const int32_t *rows, size_t count, size_t d) {
    size_t d32 = d & ~(size_t)31, d8 = d & ~(size_t)7;
    __m256 p0 = _mm256_setzero_ps(), p1 = p0, p2 = p0, p3 = p0, q0 = p0, q1 = p0, q2 = p0, q3 = p0;
    size_t k = 0;
    for (; k < d32; k += 32) {
        __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
        for (size_t j = 0; j < count; j++) {
            const float *y = base + (size_t)rows[j] * d + k;
            s0 = _mm256_add_ps(s0, _mm256_loadu_ps(y)); s1 = _mm256_add_ps(s1, _mm256_loadu_ps(y + 8));
            s2 = _mm256_add_ps(s2, _mm256_loadu_ps(y + 16)); s3 = _mm256_add_ps(s3, _mm256_loadu_ps(y + 24));
        }
        p0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + k), s0, p0); q0 = _mm256_fmadd_ps(s0, s0, q0);
        p1 = _mm256_fmadd_ps(_mm256_loadu_ps(x + k + 8), s1, p1); q1 = _mm256_fmadd_ps(s1, s1, q1);
        p2 = _mm256_fmadd_ps(_mm256_loadu_ps(x + k + 16), s2, p2); q2 = _mm256_fmadd_ps(s2, s2, q2);
        p3 = _mm256_fmadd_ps(_mm256_loadu_ps(x + k + 24), s3, p3); q3 = _mm256_fmadd_ps(s3, s3, q3);
    }
    for (; k < d8; k += 8) {
        __m256 s = _mm256_setzero_ps();
        for (size_t j = 0; j < count; j++) s = _mm256_add_ps(s, _mm256_loadu_ps(base + (size_t)rows[j] * d + k));
        p0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + k), s, p0); q0 = _mm256_fmadd_ps(s, s, q0);
    }
    float dot = hsum256(_mm256_add_ps(_mm256_add_ps(p0, p1), _mm256_add_ps(p2, p3)));
    float norm = hsum256(_mm256_add_ps(_mm256_add_ps(q0, q1), _mm256_add_ps(q2, q3)));
    for (; k < d; k++) {
        float s = 0;
        for (size_t j = 0; j < count; j++) s += base[(size_t)rows[j] * d + k];
        dot += x[k] * s; norm += s * s;
    }
    norm = sqrtf(norm);
    return norm > 0 ? dot / norm : 0;
}
#endif

float descry_sum_of_dots(const float *x, const float *base, const int32_t *rows, size_t count, size_t d) {
#ifdef DESCRY_X86
    if (choose_kind() != KIND_PORTABLE) return avx2_sum_of_dots(x, base, rows, count, d);
#endif
    return portable_sum_of_dots(x, base, rows, count, d);
}

float descry_cosine_to_sum(const float *x, const float *base, const int32_t *rows, size_t count, size_t d) {
#ifdef DESCRY_X86
    if (choose_kind() != KIND_PORTABLE) return avx2_cosine_to_sum(x, base, rows, count, d);
#endif
    return portable_cosine_to_sum(x, base, rows, count, d);
}

// ---- Exact top k through a quantised prefilter (issue 13).
//
// Class rows w and image rows x are quantised per row to int16: x̂ = qx·sx, ŵ = qw·sw with
// |q| ≤ Q, Q = ⌊√((2³¹−1)/dp)⌋ (dp: d rounded up to even), so every integer dot product fits
// an int32 lane. The approximate score is ã = fl(fl(I)·sw·sx) for I = Σ qx·qw (exact). For the
// exact fp32 score s (the kernel's own arithmetic, |s − x·w| ≤ γ_{d+4}·‖x‖‖w‖):
//   |s − ã| ≤ ‖x−x̂‖‖w‖ + ‖x̂‖‖w−ŵ‖ + (γ_{d+4} + 32u)·P·Qn
// with P ≥ max(‖x‖, ‖x̂‖), Qn ≥ max(‖w‖, ‖ŵ‖), u = 2⁻²⁴; the 32u covers the rounding of ã and
// of the bound's own float arithmetic, and every norm is rounded up. A class whose ã + ε is
// below the k-th largest ã − ε is beaten strictly by k classes, so it cannot be in the top k
// whatever the ties rule; the others are rescored exactly and ranked like Ranking.top.
enum { TOPK_TILE = 16, TOPK_MR = 6, TOPK_ROWS = 192 };
enum { QKIND_PORTABLE = 0, QKIND_AVX2 = 1, QKIND_AVX512VNNI = 2 };

struct descry_topk_index {
    int kind, qkind, usable;
    int32_t q;
    size_t m, d, dp, mp;
    int16_t *qw;             // portable: m × dp rows; AVX2: tiles of dp/2 pairs × 16 classes × 2
    float *sw, *nw, *ew, *qn; // per class (mp entries): scale, ‖w‖↑, ‖w−ŵ‖↑, max(‖w‖,‖ŵ‖)↑
    double delta;
};

static float up(double v) { float f = (float)v; return f * (1.0f + 0x1p-20f) + 0x1p-140f; }

// The scale of a row whose largest |value| is mx, and its inverse for rounding.
static float row_scale(float mx, int32_t Q, float *inv) {
    float s = mx / (float)Q;
    if (!(s >= 1.1754944e-38f)) s = 0;  // zero or subnormal: x̂ = 0, the residual is all of x
    *inv = s > 0 ? (float)Q / mx : 0;
    return s;
}

// One element: its q, and its terms of the bound's three sums (of x − x̂, x̂ and x).
static inline int16_t quantise_element(float v, float s, float inv, int32_t Q, double *r2, double *h2, double *n2) {
    int32_t qi = 0;
    if (s > 0) {
        float t = rintf(v * inv);
        qi = t > (float)Q ? Q : t < -(float)Q ? -Q : (int32_t)t;
    }
    double hat = (double)qi * (double)s, e = (double)v - hat;
    *r2 += e * e; *h2 += hat * hat; *n2 += (double)v * (double)v;
    return (int16_t)qi;
}

// The row's outputs from its three sums; 0 when a norm is too large for the float bound.
static int finish_row(double r2, double h2, double n2, float s, float *scale, float *res, float *normhat, float *norm) {
    double n = sqrt(n2), h = sqrt(h2);
    if (!(n <= 1e18) || !(h <= 1e18)) return 0;
    *scale = s; *res = up(sqrt(r2)); *normhat = up(h); *norm = up(n > h ? n : h);
    return 1;
}

// Quantises one row; 0 when it holds a non-finite value or is too large for the float bound.
// (How q is rounded does not matter to the bound, which uses the residual of the q chosen.)
static int quantise_row(const float *v, size_t d, size_t dp, int32_t Q, int16_t *q, size_t qstride,
                        float *scale, float *res, float *normhat, float *norm) {
    float mx = 0, inv;
    for (size_t k = 0; k < d; k++) { float a = fabsf(v[k]); if (!(a <= 3.0e38f)) return 0; if (a > mx) mx = a; }
    float s = row_scale(mx, Q, &inv);
    double r2 = 0, h2 = 0, n2 = 0;
    for (size_t k = 0; k < dp; k++) q[k * qstride] = k < d ? quantise_element(v[k], s, inv, Q, &r2, &h2, &n2) : 0;
    return finish_row(r2, h2, n2, s, scale, res, normhat, norm);
}

#ifdef DESCRY_X86
// quantise_row with eight floats per step: the same q and per-element residuals; only the order
// of the three double sums differs, which moves them by ~d·2⁻⁵³ relative, far inside up()'s 2⁻²⁰.
// (The scalar loops cannot be vectorised by the compiler: the early return and the strict order
// of the double sums.)
__attribute__((target("avx2,fma")))
static int avx2_quantise_row(const float *v, size_t d, size_t dp, int32_t Q, int16_t *q,
                             float *scale, float *res, float *normhat, float *norm) {
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff)), big = _mm256_set1_ps(3.0e38f);
    __m256 mxv = _mm256_setzero_ps(), bad = _mm256_setzero_ps();
    size_t k = 0;
    for (; k + 8 <= d; k += 8) {
        __m256 a = _mm256_and_ps(_mm256_loadu_ps(v + k), absmask);
        bad = _mm256_or_ps(bad, _mm256_cmp_ps(a, big, _CMP_NLE_UQ));  // NaN, ±inf or > 3e38
        mxv = _mm256_max_ps(mxv, a);
    }
    if (_mm256_movemask_ps(bad)) return 0;
    float lanes[8], mx = 0;
    _mm256_storeu_ps(lanes, mxv);
    for (int i = 0; i < 8; i++) if (lanes[i] > mx) mx = lanes[i];
    for (size_t t = k; t < d; t++) { float a = fabsf(v[t]); if (!(a <= 3.0e38f)) return 0; if (a > mx) mx = a; }
    float inv, s = row_scale(mx, Q, &inv);
    const __m256 vinv = _mm256_set1_ps(inv), hi = _mm256_set1_ps((float)Q), lo = _mm256_set1_ps(-(float)Q);
    const __m256d sd = _mm256_set1_pd((double)s);
    __m256d r2v = _mm256_setzero_pd(), h2v = _mm256_setzero_pd(), n2v = _mm256_setzero_pd();
    for (k = 0; k + 8 <= d; k += 8) {
        __m256 x = _mm256_loadu_ps(v + k);
        __m256 t = _mm256_round_ps(_mm256_mul_ps(x, vinv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        t = _mm256_min_ps(_mm256_max_ps(t, lo), hi);
        __m256i qi = _mm256_cvtps_epi32(t);
        _mm_storeu_si128((__m128i *)(q + k), _mm_packs_epi32(_mm256_castsi256_si128(qi), _mm256_extracti128_si256(qi, 1)));
        for (int half = 0; half < 2; half++) {
            __m256d xd = _mm256_cvtps_pd(half ? _mm256_extractf128_ps(x, 1) : _mm256_castps256_ps128(x));
            __m256d hd = _mm256_mul_pd(_mm256_cvtps_pd(half ? _mm256_extractf128_ps(t, 1) : _mm256_castps256_ps128(t)), sd);
            __m256d ed = _mm256_sub_pd(xd, hd);
            r2v = _mm256_fmadd_pd(ed, ed, r2v); h2v = _mm256_fmadd_pd(hd, hd, h2v); n2v = _mm256_fmadd_pd(xd, xd, n2v);
        }
    }
    double lr[4], lh[4], ln[4];
    _mm256_storeu_pd(lr, r2v); _mm256_storeu_pd(lh, h2v); _mm256_storeu_pd(ln, n2v);
    double r2 = lr[0] + lr[1] + lr[2] + lr[3], h2 = lh[0] + lh[1] + lh[2] + lh[3], n2 = ln[0] + ln[1] + ln[2] + ln[3];
    for (; k < dp; k++) q[k] = k < d ? quantise_element(v[k], s, inv, Q, &r2, &h2, &n2) : 0;
    return finish_row(r2, h2, n2, s, scale, res, normhat, norm);
}
#endif

// One row quantised by the path the index was built for (rows of q are contiguous).
static int quantise(const descry_topk_index *ix, const float *v, int16_t *q, float *scale, float *res, float *normhat, float *norm) {
#ifdef DESCRY_X86
    if (ix->qkind != QKIND_PORTABLE) return avx2_quantise_row(v, ix->d, ix->dp, ix->q, q, scale, res, normhat, norm);
#endif
    return quantise_row(v, ix->d, ix->dp, ix->q, q, 1, scale, res, normhat, norm);
}

static int qkind_for(int kind) {
    if (kind == KIND_PORTABLE) return QKIND_PORTABLE;
#ifdef DESCRY_X86
    if (kind == KIND_AVX512 && __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512bw")) return QKIND_AVX512VNNI;
#endif
    return QKIND_AVX2;
}

void descry_topk_free(descry_topk_index *ix) {
    if (!ix) return;
    free(ix->qw); free(ix->sw); free(ix->nw); free(ix->ew); free(ix->qn); free(ix);
}

descry_topk_index *descry_topk_prepare(const float *b, size_t m, size_t d) {
    descry_topk_index *ix = calloc(1, sizeof *ix);
    if (!ix) return NULL;
    ix->kind = choose_kind();
    ix->qkind = qkind_for(ix->kind);
    ix->m = m; ix->d = d; ix->dp = (d + 1) & ~(size_t)1;
    ix->mp = (m + TOPK_TILE - 1) / TOPK_TILE * TOPK_TILE;
    double qd = floor(sqrt(2147483647.0 / (double)(ix->dp ? ix->dp : 1)));
    ix->q = qd > 32767 ? 32767 : (int32_t)qd;
    double u = 0x1p-24, nd = (double)(d + 4);
    ix->delta = nd * u / (1 - nd * u) + 32 * u;
    size_t mp = ix->mp ? ix->mp : 1;
    ix->qw = calloc(mp * (ix->dp ? ix->dp : 1), sizeof(int16_t));
    ix->sw = calloc(mp, sizeof(float)); ix->nw = calloc(mp, sizeof(float));
    ix->ew = calloc(mp, sizeof(float)); ix->qn = calloc(mp, sizeof(float));
    if (!ix->qw || !ix->sw || !ix->nw || !ix->ew || !ix->qn) { descry_topk_free(ix); return NULL; }
    ix->usable = d > 0 && ix->dp * (size_t)ix->q * (size_t)ix->q <= 2147483647u;
    for (size_t j = 0; j < m && ix->usable; j++) {
        int16_t *dst; size_t stride;
        if (ix->qkind != QKIND_PORTABLE) {
            // Tile j/16, pair p, lane j%16: (w[2p], w[2p+1]) at ((tile·dp/2 + p)·16 + lane)·2.
            size_t tile = j / TOPK_TILE, lane = j % TOPK_TILE;
            dst = ix->qw + tile * ix->dp * TOPK_TILE + lane * 2;
            // Element k sits at pair k/2, slot k%2: stride between k and k+2 is 32, so write by hand.
            int16_t tmp[ix->dp];
            float nrm, nh;
            if (!quantise(ix, b + j * d, tmp, &ix->sw[j], &ix->ew[j], &nh, &nrm)) { ix->usable = 0; break; }
            for (size_t k = 0; k < ix->dp; k++) dst[(k / 2) * TOPK_TILE * 2 + (k & 1)] = tmp[k];
            ix->nw[j] = nrm; ix->qn[j] = nrm;
            (void)stride;
        } else {
            dst = ix->qw + j * ix->dp; stride = 1;
            float nh;
            if (!quantise_row(b + j * d, d, ix->dp, ix->q, dst, stride, &ix->sw[j], &ix->ew[j], &nh, &ix->nw[j])) { ix->usable = 0; break; }
            ix->qn[j] = ix->nw[j];
        }
    }
    return ix;
}

const char *descry_topk_path(const descry_topk_index *ix) {
    if (!ix->usable) return "exact";
    return ix->qkind == QKIND_AVX512VNNI ? "avx512vnni-int16" : ix->qkind == QKIND_AVX2 ? "avx2-int16" : "portable-int16";
}

// The integer products of `rows` quantised images (dp int16 each) with every class: c[r·mp + j].
static void portable_int_block(const descry_topk_index *ix, const int16_t *x, size_t rows, int32_t *c) {
    for (size_t r = 0; r < rows; r++) {
        const int16_t *xr = x + r * ix->dp;
        for (size_t j = 0; j < ix->m; j++) {
            const int16_t *w = ix->qw + j * ix->dp;
            int32_t s = 0;
            for (size_t k = 0; k < ix->dp; k++) s += (int32_t)xr[k] * w[k];
            c[r * ix->mp + j] = s;
        }
    }
}

#ifdef DESCRY_X86
__attribute__((target("avx2"), always_inline))
static inline void avx2_int_micro(int rows, const int16_t *x, size_t dp, const int16_t *t, int32_t *c, size_t ldc) {
    __m256i acc[TOPK_MR][2];
    for (int r = 0; r < rows; r++) { acc[r][0] = _mm256_setzero_si256(); acc[r][1] = _mm256_setzero_si256(); }
    for (size_t p = 0; p < dp / 2; p++) {
        __m256i y0 = _mm256_loadu_si256((const __m256i *)(t + p * 32)), y1 = _mm256_loadu_si256((const __m256i *)(t + p * 32 + 16));
        for (int r = 0; r < rows; r++) {
            int32_t pair; memcpy(&pair, x + r * dp + 2 * p, 4);
            __m256i xv = _mm256_set1_epi32(pair);
            acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(xv, y0));
            acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(xv, y1));
        }
    }
    for (int r = 0; r < rows; r++) {
        _mm256_storeu_si256((__m256i *)(c + r * ldc), acc[r][0]);
        _mm256_storeu_si256((__m256i *)(c + r * ldc + 8), acc[r][1]);
    }
}

__attribute__((target("avx2")))
static void avx2_int_block(const descry_topk_index *ix, const int16_t *x, size_t rows, int32_t *c) {
    size_t dp = ix->dp;
    for (size_t j0 = 0; j0 < ix->mp; j0 += TOPK_TILE) {
        const int16_t *t = ix->qw + (j0 / TOPK_TILE) * dp * TOPK_TILE;
        size_t i = 0;
        for (; i + TOPK_MR <= rows; i += TOPK_MR) avx2_int_micro(TOPK_MR, x + i * dp, dp, t, c + i * ix->mp + j0, ix->mp);
        switch (rows - i) {
        case 5: avx2_int_micro(5, x + i * dp, dp, t, c + i * ix->mp + j0, ix->mp); break;
        case 4: avx2_int_micro(4, x + i * dp, dp, t, c + i * ix->mp + j0, ix->mp); break;
        case 3: avx2_int_micro(3, x + i * dp, dp, t, c + i * ix->mp + j0, ix->mp); break;
        case 2: avx2_int_micro(2, x + i * dp, dp, t, c + i * ix->mp + j0, ix->mp); break;
        case 1: avx2_int_micro(1, x + i * dp, dp, t, c + i * ix->mp + j0, ix->mp); break;
        default: break;
        }
    }
}

// The same tiles with AVX-512 VNNI: one vpdpwssd per pair of dimensions and 16 classes
// (16 × 2 int16 = one zmm), 12 image rows per step for 12 independent accumulators.
enum { VNNI_MR = 12 };
__attribute__((target("avx512f,avx512bw,avx512vnni"), always_inline))
static inline void vnni_int_micro(int rows, const int16_t *x, size_t dp, const int16_t *t, int32_t *c, size_t ldc) {
    __m512i acc[VNNI_MR];
    for (int r = 0; r < rows; r++) acc[r] = _mm512_setzero_si512();
    for (size_t p = 0; p < dp / 2; p++) {
        __m512i y = _mm512_loadu_si512((const void *)(t + p * 32));
        for (int r = 0; r < rows; r++) {
            int32_t pair; memcpy(&pair, x + r * dp + 2 * p, 4);
            acc[r] = _mm512_dpwssd_epi32(acc[r], _mm512_set1_epi32(pair), y);
        }
    }
    for (int r = 0; r < rows; r++) _mm512_storeu_si512((void *)(c + r * ldc), acc[r]);
}

__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void vnni_int_block(const descry_topk_index *ix, const int16_t *x, size_t rows, int32_t *c) {
    size_t dp = ix->dp;
    for (size_t j0 = 0; j0 < ix->mp; j0 += TOPK_TILE) {
        const int16_t *t = ix->qw + (j0 / TOPK_TILE) * dp * TOPK_TILE;
        size_t i = 0;
        for (; i + VNNI_MR <= rows; i += VNNI_MR) vnni_int_micro(VNNI_MR, x + i * dp, dp, t, c + i * ix->mp + j0, ix->mp);
        for (; i + 4 <= rows; i += 4) vnni_int_micro(4, x + i * dp, dp, t, c + i * ix->mp + j0, ix->mp);
        for (; i < rows; i++) vnni_int_micro(1, x + i * dp, dp, t, c + i * ix->mp + j0, ix->mp);
    }
}

// The bounds of one image against every class: lb = ã − ε, ub = ã + ε (see above).
__attribute__((target("avx2,fma")))
static void avx2_bounds(const descry_topk_index *ix, const int32_t *ci, float s, float e, float h, float dpn, float *lb, float *ub) {
    for (size_t j = 0; j < ix->m; j++) {
        float a = (float)ci[j] * ix->sw[j] * s;
        float eps = (e * ix->nw[j] + h * ix->ew[j] + dpn * ix->qn[j]) * (1.0f + 0x1p-16f) + 0x1p-120f;
        lb[j] = a - eps; ub[j] = a + eps;
    }
}

// The selection of topk_part, 8 classes per compare: a group none of whose lower bounds beats
// the current k-th is skipped, a group of upper bounds none of which is below the limit is
// taken whole. Same results as the scalar loops (the same comparisons, NaN included).
__attribute__((target("avx2")))
static float avx2_kth_lower(const float *lb, size_t m, size_t k, float *kth) {
    size_t t = 0, j = 0;
    while (j < m) {
        if (t == k && j + 8 <= m) {
            int mask = _mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(lb + j), _mm256_set1_ps(kth[k - 1]), _CMP_GT_OQ));
            if (!mask) { j += 8; continue; }
        }
        float l = lb[j++];
        if (t == k && !(l > kth[k - 1])) continue;
        size_t p = t;
        while (p > 0 && kth[p - 1] < l) p--;
        size_t end = t < k ? t : k - 1;
        for (size_t q = end; q > p; q--) kth[q] = kth[q - 1];
        kth[p] = l;
        if (t < k) t++;
    }
    return kth[k - 1];
}

__attribute__((target("avx2")))
static size_t avx2_survivors(const float *ub, size_t m, float limit, int32_t *cand) {
    size_t count = 0, j = 0;
    __m256 lim = _mm256_set1_ps(limit);
    for (; j + 8 <= m; j += 8) {
        int below = _mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(ub + j), lim, _CMP_LT_OQ));
        int keep = ~below & 0xFF;
        while (keep) { int q = __builtin_ctz(keep); cand[count++] = (int32_t)(j + q); keep &= keep - 1; }
    }
    for (; j < m; j++) if (!(ub[j] < limit)) cand[count++] = (int32_t)j;
    return count;
}

// The packed kernels' arithmetic for one element: one FMA chain over k from zero.
__attribute__((target("avx2,fma")))
static void fma_scores(const float *x, const float *b, size_t d, const int32_t *cls, size_t count, float *out) {
    // Eight independent chains at a time (a short group repeats its last class) so the FMA
    // latency is hidden; each chain is still one element's FMA sequence in k order.
    size_t s = 0;
    for (; s < count; s += 8) {
        const float *w[8];
        for (int q = 0; q < 8; q++) w[q] = b + (size_t)cls[s + q < count ? s + q : count - 1] * d;
        float acc[8] = { 0 };
        for (size_t k = 0; k < d; k++) { float xk = x[k]; for (int q = 0; q < 8; q++) acc[q] = fmaf(xk, w[q][k], acc[q]); }
        for (int q = 0; q < 8 && s + q < count; q++) out[s + q] = acc[q];
    }
}
#endif

// The portable kernel's arithmetic (portable_block, here out of any target attribute so
// nothing is contracted differently).
__attribute__((noinline))
static void portable_scores(const float *x, const float *b, size_t d, const int32_t *cls, size_t count, float *out) {
    for (size_t s = 0; s < count; s++) portable_block(x, 1, b + (size_t)cls[s] * d, 1, d, out + s, 1);
}

static void exact_scores(const descry_topk_index *ix, const float *b, const float *x, const int32_t *cls, size_t count, float *out) {
#ifdef DESCRY_X86
    if (ix->kind != KIND_PORTABLE) { fma_scores(x, b, ix->d, cls, count, out); return; }
#endif
    portable_scores(x, b, ix->d, cls, count, out);
}

// Ranking.top's insertion over the candidates in class order: equal scores keep class order.
static size_t insert_top(int32_t *oc, float *os, size_t t, size_t k, int32_t j, float s) {
    if (t == k && !(s > os[t - 1])) return t;
    size_t p = t;
    while (p > 0 && os[p - 1] < s) p--;
    size_t end = t < k ? t : k - 1;
    for (size_t q = end; q > p; q--) { os[q] = os[q - 1]; oc[q] = oc[q - 1]; }
    os[p] = s; oc[p] = j;
    return t < k ? t + 1 : t;
}

typedef struct {
    const descry_topk_index *ix; const float *b, *a; size_t n, k; int32_t *classes; float *scores;
    uint64_t survivors[MAX_THREADS]; int failed[MAX_THREADS];
} topk_ctx;

// Every class scored exactly (no allocation): for rows the bound cannot cover.
static void exact_row(const descry_topk_index *ix, const float *b, const float *x, size_t k, int32_t *oc, float *os) {
    size_t t = 0;
    enum { CHUNK = 64 };
    int32_t cls[CHUNK]; float sc[CHUNK];
    for (size_t j0 = 0; j0 < ix->m; j0 += CHUNK) {
        size_t c = ix->m - j0 < CHUNK ? ix->m - j0 : CHUNK;
        for (size_t q = 0; q < c; q++) cls[q] = (int32_t)(j0 + q);
        exact_scores(ix, b, x, cls, c, sc);
        for (size_t q = 0; q < c; q++) t = insert_top(oc, os, t, k, cls[q], sc[q]);
    }
}

static void topk_part(void *vctx, size_t part, size_t parts) {
    topk_ctx *x = vctx;
    const descry_topk_index *ix = x->ix;
    size_t m = ix->m, d = ix->d, dp = ix->dp, k = x->k;
    size_t steps = (x->n + TOPK_MR - 1) / TOPK_MR;
    size_t i0 = steps * part / parts * TOPK_MR, i1 = steps * (part + 1) / parts * TOPK_MR;
    if (i1 > x->n) i1 = x->n;
    if (i0 >= i1) return;
    int16_t *qx = malloc(TOPK_ROWS * dp * sizeof(int16_t));
    int32_t *c = malloc(TOPK_ROWS * ix->mp * sizeof(int32_t));
    float *lb = malloc(m * sizeof(float)), *ub = malloc(m * sizeof(float));
    int32_t *cand = malloc(m * sizeof(int32_t)); float *cs = malloc(m * sizeof(float));
    float *kth = malloc(k * sizeof(float));
    int ok = qx && c && lb && ub && cand && cs && kth && ix->usable;
    uint64_t survivors = 0;
    for (size_t ib = i0; ib < i1; ib += TOPK_ROWS) {
        size_t rows = i1 - ib < TOPK_ROWS ? i1 - ib : TOPK_ROWS;
        float sx[TOPK_ROWS], ex[TOPK_ROWS], nh[TOPK_ROWS], pn[TOPK_ROWS];
        int good[TOPK_ROWS];
        if (ok) {
            for (size_t r = 0; r < rows; r++)
                good[r] = quantise(ix, x->a + (ib + r) * d, qx + r * dp, &sx[r], &ex[r], &nh[r], &pn[r]);
#ifdef DESCRY_X86
            if (ix->qkind == QKIND_AVX512VNNI) vnni_int_block(ix, qx, rows, c); else
            if (ix->qkind == QKIND_AVX2) avx2_int_block(ix, qx, rows, c); else
#endif
            portable_int_block(ix, qx, rows, c);
        }
        for (size_t r = 0; r < rows; r++) {
            size_t i = ib + r;
            const float *xi = x->a + i * d;
            int32_t *oc = x->classes + i * k; float *os = x->scores + i * k;
            if (!ok || !good[r]) { exact_row(ix, x->b, xi, k, oc, os); survivors += m; continue; }
            const int32_t *ci = c + r * ix->mp;
            float s = sx[r], e = ex[r], h = nh[r], dpn = (float)(ix->delta * (double)pn[r]);
            // The k-th largest lower bound, by insertion into a descending list of k.
            size_t t = 0;
#ifdef DESCRY_X86
            if (ix->qkind != QKIND_PORTABLE) avx2_bounds(ix, ci, s, e, h, dpn, lb, ub); else
#endif
            for (size_t j = 0; j < m; j++) {
                float a = (float)ci[j] * ix->sw[j] * s;
                float eps = (e * ix->nw[j] + h * ix->ew[j] + dpn * ix->qn[j]) * (1.0f + 0x1p-16f) + 0x1p-120f;
                lb[j] = a - eps; ub[j] = a + eps;
            }
            float limit;
            size_t count = 0;
#ifdef DESCRY_X86
            if (ix->qkind != QKIND_PORTABLE) {
                limit = avx2_kth_lower(lb, m, k, kth);
                count = avx2_survivors(ub, m, limit, cand);
            } else
#endif
            {
            for (size_t j = 0; j < m; j++) {
                float l = lb[j];
                if (t == k && !(l > kth[k - 1])) continue;
                size_t p = t;
                while (p > 0 && kth[p - 1] < l) p--;
                size_t end = t < k ? t : k - 1;
                for (size_t q = end; q > p; q--) kth[q] = kth[q - 1];
                kth[p] = l;
                if (t < k) t++;
            }
            limit = kth[k - 1];
            for (size_t j = 0; j < m; j++) if (!(ub[j] < limit)) cand[count++] = (int32_t)j;
            }
            survivors += count;
            exact_scores(ix, x->b, xi, cand, count, cs);
            size_t got = 0;
            for (size_t q = 0; q < count; q++) got = insert_top(oc, os, got, k, cand[q], cs[q]);
        }
    }
    x->survivors[part] = survivors;
    free(qx); free(c); free(lb); free(ub); free(cand); free(cs); free(kth);
}

uint64_t descry_topk(const descry_topk_index *ix, const float *b, const float *a, size_t n, size_t k, int32_t *classes, float *scores, int threads) {
    if (n == 0 || k == 0 || ix->m == 0) return 0;
    if (k > ix->m) k = ix->m;
    topk_ctx *x = calloc(1, sizeof *x);
    if (!x) {
        // No room even for the context: every row exactly, on this thread.
        for (size_t i = 0; i < n; i++) exact_row(ix, b, a + i * ix->d, k, classes + i * k, scores + i * k);
        return (uint64_t)n * ix->m;
    }
    x->ix = ix; x->b = b; x->a = a; x->n = n; x->k = k; x->classes = classes; x->scores = scores;
    size_t steps = (n + TOPK_MR - 1) / TOPK_MR;
    size_t parts = useful_parts(steps, n * ix->m * (ix->d ? ix->d : 1) / 2, threads);
    run_parts(topk_part, x, parts);
    uint64_t total = 0;
    for (size_t p = 0; p < parts; p++) total += x->survivors[p];
    free(x);
    return total;
}

int descry_force_similarity_path(const char *name) {
    int want = !strcmp(name, "avx512") ? KIND_AVX512 : !strcmp(name, "avx2") ? KIND_AVX2 : !strcmp(name, "portable") ? KIND_PORTABLE : -1;
    int best = detect_kind();
    if (!strcmp(name, "auto")) want = best;
    if (want < 0 || want > best) return 0;
    __atomic_store_n(&kind_holder, want, __ATOMIC_RELAXED);
    return 1;
}
