/* A deliberately wrong backend for the tests of `lathe conformance`: the reference backend with
 * exp computed as sin. The suite must report exp (and the ops built on it) and pass the rest. */
#include "backends/backend.h"
#include "backends/reference/reference.h"

static const lathe_backend* ref;

static lathe_status faulty_unary(int32_t d, lathe_unary_op op, const lathe_view* in,
                                 const lathe_view* out, double a, double b) {
  return ref->unary(d, op == LATHE_UNARY_EXP ? LATHE_UNARY_SIN : op, in, out, a, b);
}

__attribute__((visibility("default"))) const lathe_backend* lathe_backend_entry(void) {
  static lathe_backend table;
  if (!ref) {
    ref = lathe_backend_reference();
    table = *ref;
    table.name = "faulty";
    table.unary = faulty_unary;
  }
  return &table;
}
