/* The lab's GEMM: C (M x N) = [C +] A (M x K) B (K x N), float32, for the dense layers.
 *
 * A and B are read through (row stride, column stride) pairs, so the three products of a
 * dense layer need no transposed copies: forward X W^T, backward dY W and dY^T X (see
 * dense.c). Loops (BLIS order, without packing A):
 *   for each NC-column block of B, for each KC-row block: pack that block of B into
 *   panels of NR columns (contiguous, zero-padded), then for each panel, for each MR-row
 *   slice of A: the MR x NR micro-kernel, accumulators in registers, A splat one element
 *   at a time. The panel (KC x NR floats = 8 KiB with SIMD) stays in L1 while A streams.
 * Every C element is accumulated as c + a0 b0 + a1 b1 + ... in k order, one rounding per
 * operation (no FMA: -ffp-contract=off), so the SIMD and the scalar build (VLEN 1, the
 * same source) give the same bits as a naive float32 loop -- the tests check exactly that.
 */
#include "../actq.h"
#include "../simd.h"

#define MR 4                /* rows of the register tile */
#define NRV 2               /* vectors per tile row */
#define NR (NRV * VLEN)     /* columns of the register tile: 8 with SIMD */
#define KC 256              /* k block: a packed panel is KC x NR */
#define NC 512              /* column block: a packed block is KC x NC floats (512 KiB) */

static float g_packed[KC * NC] __attribute__((aligned(16)));

/* B[k0 + k][n0 + j] for k < kc, j < nc into panels of NR columns, zero past nc. */
static void pack_b(size_t kc, size_t nc, const float* b, size_t rs, size_t cs, float* dst) {
  for (size_t p = 0; p < nc; p += NR) {
    const size_t w = nc - p < NR ? nc - p : NR;
    for (size_t k = 0; k < kc; ++k) {
      const float* row = b + k * rs + p * cs;
      size_t j = 0;
      for (; j < w; ++j) dst[j] = row[j * cs];
      for (; j < NR; ++j) dst[j] = 0.0f;
      dst += NR;
    }
  }
}

/* One MR x NR tile: C[0..mr)[0..nc) (+)= A[0..mr)[0..kc) panel. Rows past mr read the last
 * valid row of A (valid memory) and are not stored. */
static void tile(size_t mr, size_t kc, const float* a, size_t ars, size_t acs, const float* panel, float* c,
                 size_t ldc, size_t nc, int accumulate) {
  const float* a0 = a;
  const float* a1 = a + (mr > 1 ? 1 : 0) * ars;
  const float* a2 = a + (mr > 2 ? 2 : mr - 1) * ars;
  const float* a3 = a + (mr > 3 ? 3 : mr - 1) * ars;
  float t[MR][NR] __attribute__((aligned(16))); /* C rows in and out when the tile is ragged */
  const int direct = nc == NR && mr == MR;
  vf c00, c01, c10, c11, c20, c21, c30, c31;
  if (!accumulate) {
    c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = v_set(0.0f);
  } else {
    const float *r0 = c, *r1 = c + ldc, *r2 = c + 2 * ldc, *r3 = c + 3 * ldc;
    if (!direct) {
      for (size_t i = 0; i < MR; ++i)
        for (size_t j = 0; j < NR; ++j) t[i][j] = i < mr && j < nc ? c[i * ldc + j] : 0.0f;
      r0 = t[0], r1 = t[1], r2 = t[2], r3 = t[3];
    }
    c00 = v_load(r0), c01 = v_load(r0 + VLEN);
    c10 = v_load(r1), c11 = v_load(r1 + VLEN);
    c20 = v_load(r2), c21 = v_load(r2 + VLEN);
    c30 = v_load(r3), c31 = v_load(r3 + VLEN);
  }
  for (size_t k = 0; k < kc; ++k) {
    const vf b0 = v_load(panel), b1 = v_load(panel + VLEN);
    panel += NR;
    const size_t o = k * acs;
    const vf x0 = v_set(a0[o]), x1 = v_set(a1[o]), x2 = v_set(a2[o]), x3 = v_set(a3[o]);
    c00 = v_add(c00, v_mul(x0, b0)), c01 = v_add(c01, v_mul(x0, b1));
    c10 = v_add(c10, v_mul(x1, b0)), c11 = v_add(c11, v_mul(x1, b1));
    c20 = v_add(c20, v_mul(x2, b0)), c21 = v_add(c21, v_mul(x2, b1));
    c30 = v_add(c30, v_mul(x3, b0)), c31 = v_add(c31, v_mul(x3, b1));
  }
  if (direct) {
    v_store(c, c00), v_store(c + VLEN, c01);
    v_store(c + ldc, c10), v_store(c + ldc + VLEN, c11);
    v_store(c + 2 * ldc, c20), v_store(c + 2 * ldc + VLEN, c21);
    v_store(c + 3 * ldc, c30), v_store(c + 3 * ldc + VLEN, c31);
    return;
  }
  v_store(t[0], c00), v_store(t[0] + VLEN, c01);
  v_store(t[1], c10), v_store(t[1] + VLEN, c11);
  v_store(t[2], c20), v_store(t[2] + VLEN, c21);
  v_store(t[3], c30), v_store(t[3] + VLEN, c31);
  for (size_t i = 0; i < mr; ++i)
    for (size_t j = 0; j < nc; ++j) c[i * ldc + j] = t[i][j];
}

/* C = A B (accumulate = 0) or C += A B (accumulate = 1); element (i, j) of A is
 * a[i ars + j acs], of B b[i brs + j bcs]; C is row-major with row stride ldc. */
ACTQ_EXPORT void lab_gemm(uint32_t M, uint32_t N, uint32_t K, const float* a, uint32_t ars, uint32_t acs,
                          const float* b, uint32_t brs, uint32_t bcs, float* c, uint32_t ldc, int accumulate) {
  if (K == 0) {
    if (!accumulate)
      for (size_t i = 0; i < M; ++i)
        for (size_t j = 0; j < N; ++j) c[i * ldc + j] = 0.0f;
    return;
  }
  for (size_t n0 = 0; n0 < N; n0 += NC) {
    const size_t nc = N - n0 < NC ? N - n0 : NC;
    for (size_t k0 = 0; k0 < K; k0 += KC) {
      const size_t kc = K - k0 < KC ? K - k0 : KC;
      pack_b(kc, nc, b + k0 * brs + n0 * bcs, brs, bcs, g_packed);
      const int acc = accumulate || k0 > 0;
      for (size_t p = 0; p < nc; p += NR) {
        const float* panel = g_packed + p * kc;
        const size_t w = nc - p < NR ? nc - p : NR;
        for (size_t m0 = 0; m0 < M; m0 += MR) {
          const size_t mr = M - m0 < MR ? M - m0 : MR;
          tile(mr, kc, a + m0 * ars + k0 * acs, ars, acs, panel, c + m0 * ldc + n0 + p, ldc, w, acc);
        }
      }
    }
  }
}
