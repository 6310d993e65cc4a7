/* actq: activation functions and quantization kernels -- public C API.
 *
 * Every kernel has one shape: (n, x, y, args), y may equal x (in place), never writes
 * past y[n-1]. The activation table (activations.c) is the single source of truth for
 * names, parameters, presets and kernels; the JS registry is read from it at load time.
 */
#ifndef ACTQ_H
#define ACTQ_H

#include <stddef.h>
#include <stdint.h>

#define ACTQ_MAX_PARAMS 4
#define ACTQ_EXPORT __attribute__((used, visibility("default")))

enum actq_param_kind { ACTQ_NUMBER = 0, ACTQ_INTEGER = 1, ACTQ_BOOLEAN = 2, ACTQ_ARRAY = 3 };

/* Arguments of one call. Scalar parameter k lives in p[k]; an array parameter in
 * arr[k] / len[k]. start is the index of x[0] in the caller's whole tensor (per-channel
 * and per-element-noise kernels need it when a call is split into chunks). */
typedef struct {
  double p[ACTQ_MAX_PARAMS];
  const float* arr[ACTQ_MAX_PARAMS];
  uint32_t len[ACTQ_MAX_PARAMS];
  uint32_t start;
} actq_args;

typedef void (*actq_kernel)(size_t n, const float* x, float* y, const actq_args* a);

typedef struct {
  const char* name;
  int kind;                 /* enum actq_param_kind */
  double def, min, max;     /* inclusive range; for arrays the range of each element */
  const float* def_array;   /* ACTQ_ARRAY: default elements */
  uint32_t def_len;
  const char* doc;
} actq_param;

typedef struct {
  const char* name;
  const char* doc;
  double values[ACTQ_MAX_PARAMS]; /* scalar parameters, table order */
} actq_preset;

typedef struct {
  const char* name;
  const char* formula;
  const actq_param* params;
  uint32_t nparams;
  const actq_preset* presets;
  uint32_t npresets;
  actq_kernel forward, derivative;
  int (*check)(const actq_args*); /* cross-parameter rule: index of the bad one, or -1 */
  actq_kernel fast; /* optional forward of the 'fast' accuracy tier: abs error <= 2^-14 */
} actq_activation;

extern const actq_activation actq_activations[];
extern const uint32_t actq_activation_count;

/* registry.c: what the JS wrapper calls */
ACTQ_EXPORT uint32_t actq_count(void);
ACTQ_EXPORT int actq_validate(uint32_t id);
ACTQ_EXPORT void actq_forward(uint32_t id, const float* x, float* y, size_t n);
ACTQ_EXPORT void actq_derivative(uint32_t id, const float* x, float* y, size_t n);
ACTQ_EXPORT void* actq_malloc(size_t bytes);
ACTQ_EXPORT void actq_free(void* p);

#endif
