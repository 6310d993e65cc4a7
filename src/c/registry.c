/* What the JS wrapper sees of the activation table: accessors (the JS registry is read
 * through them at load), argument setters, validation, dispatch and the allocator. */
#include <stdlib.h>

#include "actq.h"

/* The arguments of the next call, set by the wrapper one field at a time. */
static actq_args g_args;

static const actq_activation* act(uint32_t id) { return id < actq_activation_count ? &actq_activations[id] : 0; }

ACTQ_EXPORT uint32_t actq_count(void) { return actq_activation_count; }
ACTQ_EXPORT const char* actq_name(uint32_t id) { return act(id)->name; }
ACTQ_EXPORT const char* actq_formula(uint32_t id) { return act(id)->formula; }
ACTQ_EXPORT uint32_t actq_param_count(uint32_t id) { return act(id)->nparams; }
ACTQ_EXPORT const char* actq_param_name(uint32_t id, uint32_t k) { return act(id)->params[k].name; }
ACTQ_EXPORT const char* actq_param_doc(uint32_t id, uint32_t k) { return act(id)->params[k].doc; }
/* field: 0 default, 1 min, 2 max, 3 kind, 4 default array length */
ACTQ_EXPORT double actq_param_field(uint32_t id, uint32_t k, uint32_t field) {
  const actq_param* p = &act(id)->params[k];
  const double fields[] = { p->def, p->min, p->max, p->kind, p->def_len };
  return field < 5 ? fields[field] : 0;
}
ACTQ_EXPORT double actq_param_default_at(uint32_t id, uint32_t k, uint32_t i) {
  return act(id)->params[k].def_array[i];
}
ACTQ_EXPORT uint32_t actq_preset_count(uint32_t id) { return act(id)->npresets; }
ACTQ_EXPORT const char* actq_preset_name(uint32_t id, uint32_t j) { return act(id)->presets[j].name; }
ACTQ_EXPORT const char* actq_preset_doc(uint32_t id, uint32_t j) { return act(id)->presets[j].doc; }
ACTQ_EXPORT double actq_preset_value(uint32_t id, uint32_t j, uint32_t k) { return act(id)->presets[j].values[k]; }

ACTQ_EXPORT void actq_set_param(uint32_t k, double v) { g_args.p[k] = v; }
ACTQ_EXPORT void actq_set_array(uint32_t k, const float* values, uint32_t len) {
  g_args.arr[k] = values;
  g_args.len[k] = len;
}
ACTQ_EXPORT void actq_set_start(uint32_t start) { g_args.start = start; }

static int in_range(double v, const actq_param* p) {
  if (!(v >= p->min && v <= p->max)) return 0; /* also rejects NaN */
  const int integral = p->kind == ACTQ_INTEGER || p->kind == ACTQ_BOOLEAN;
  return !integral || v == (double)(int64_t)v;
}

/* -1 when args are valid for activation id, else the index of the first parameter that
 * is not (out of range, NaN, not an integer, empty array, or a broken cross-parameter
 * rule). Touches nothing. Shared by the wrapper (the global block) and the C API. */
int actq_args_validate(uint32_t id, const actq_args* args) {
  const actq_activation* a = act(id);
  if (!a) return 0;
  for (uint32_t k = 0; k < a->nparams; ++k) {
    const actq_param* p = &a->params[k];
    if (p->kind == ACTQ_ARRAY) {
      if (args->len[k] == 0 || !args->arr[k]) return (int)k;
      for (uint32_t i = 0; i < args->len[k]; ++i)
        if (!in_range(args->arr[k][i], p)) return (int)k;
    } else if (!in_range(args->p[k], p)) {
      return (int)k;
    }
  }
  return a->check ? a->check(args) : -1;
}
ACTQ_EXPORT int actq_validate(uint32_t id) { return actq_args_validate(id, &g_args); }

ACTQ_EXPORT void actq_forward(uint32_t id, const float* x, float* y, size_t n) {
  act(id)->forward(n, x, y, &g_args);
}
ACTQ_EXPORT void actq_derivative(uint32_t id, const float* x, float* y, size_t n) {
  act(id)->derivative(n, x, y, &g_args);
}
/* The accuracy tiers (enum actq_tier): a tier's own kernel where the table has one, else the
 * precise forward. */
ACTQ_EXPORT uint32_t actq_has_tier(uint32_t id, uint32_t tier) {
  return tier == ACTQ_TIER_PRECISE || actq_tier_forward(act(id), (int)tier) != act(id)->forward;
}
ACTQ_EXPORT void actq_forward_tier(uint32_t id, uint32_t tier, const float* x, float* y, size_t n) {
  actq_tier_forward(act(id), (int)tier)(n, x, y, &g_args);
}

/* Allocations are counted so tests can check that the heap returns to its baseline. They are
 * aligned to a cache line: emmalloc's malloc aligns to 8 bytes, and a 16-byte vector load or
 * store at an 8-byte offset splits a cache line one time in four (relu and hard_tanh at 64K
 * elements, y 8 bytes off the 16-byte grid: 6.5-6.6 against 8.6-9.3 G elem/s aligned, in one
 * process, interleaved). */
static uint32_t g_live_allocations;
ACTQ_EXPORT void* actq_malloc(size_t bytes) {
  void* p = aligned_alloc(64, bytes ? (bytes + 63) / 64 * 64 : 64); /* C11: a multiple of the alignment */
  g_live_allocations += p != 0;
  return p;
}
ACTQ_EXPORT void actq_free(void* p) {
  g_live_allocations -= p != 0;
  free(p);
}
ACTQ_EXPORT uint32_t actq_live_allocations(void) { return g_live_allocations; }
