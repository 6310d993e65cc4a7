/* The lab's elementwise and reduction kernels around the GEMM (gemm.c): bias rows, column
 * sums (the bias gradient), products (chain rule through an activation), batch gathering
 * and per-channel weight scales for fake quantization. Written against simd.h like every
 * kernel; the vector lanes run across columns, so each output is summed in row order and
 * the SIMD and scalar builds agree bit for bit. */
#include "../actq.h"
#include "../simd.h"

/* every row of the M x N matrix c = row (the bias, before the GEMM accumulates into c) */
ACTQ_EXPORT void lab_set_rows(uint32_t M, uint32_t N, const float* row, float* c) {
  for (size_t i = 0; i < M; ++i) memcpy(c + (size_t)i * N, row, N * sizeof(float));
}

/* out[j] = sum_i x[i][j], i in order (db = column sums of dY) */
ACTQ_EXPORT void lab_col_sum(uint32_t M, uint32_t N, const float* x, float* out) {
  size_t j = 0;
  for (; j + VLEN <= N; j += VLEN) {
    vf s = v_set(0.0f);
    for (size_t i = 0; i < M; ++i) s = v_add(s, v_load(x + i * N + j));
    v_store(out + j, s);
  }
  for (; j < N; ++j) {
    float s = 0.0f;
    for (size_t i = 0; i < M; ++i) s += x[i * N + j];
    out[j] = s;
  }
}

/* out = a * b elementwise (out may be a or b) */
ACTQ_EXPORT void lab_mul(uint32_t n, const float* a, const float* b, float* out) {
  size_t i = 0;
  for (; i + VLEN <= n; i += VLEN) v_store(out + i, v_mul(v_load(a + i), v_load(b + i)));
  for (; i < n; ++i) out[i] = a[i] * b[i];
}

/* rows idx[0..count) of src (dim floats each) into dst, and their labels */
ACTQ_EXPORT void lab_gather(uint32_t count, uint32_t dim, const uint32_t* idx, const float* src,
                            const int32_t* labels, float* dst, int32_t* dst_labels) {
  for (size_t r = 0; r < count; ++r) {
    memcpy(dst + r * dim, src + (size_t)idx[r] * dim, dim * sizeof(float));
    dst_labels[r] = labels[idx[r]];
  }
}

/* Symmetric per-output-channel weight scales for a rows x cols weight matrix (row = output
 * channel): scale = max |w| / qmax, or 1 for an all-zero row (any scale represents it). */
ACTQ_EXPORT void lab_channel_scales(uint32_t rows, uint32_t cols, const float* w, int32_t qmax, float* scales) {
  for (size_t r = 0; r < rows; ++r) {
    float m = 0.0f;
    for (size_t k = 0; k < cols; ++k) {
      const float a = __builtin_fabsf(w[r * cols + k]);
      m = a > m ? a : m;
    }
    scales[r] = m > 0.0f ? m / (float)qmax : 1.0f;
  }
}

/* min and max of n floats into out[0], out[1] (NaN ignored; +-inf kept) */
ACTQ_EXPORT void lab_min_max(uint32_t n, const float* x, float* out) {
  float lo = __builtin_inff(), hi = -__builtin_inff();
  for (size_t i = 0; i < n; ++i) {
    lo = x[i] < lo ? x[i] : lo;
    hi = x[i] > hi ? x[i] : hi;
  }
  out[0] = lo;
  out[1] = hi;
}
