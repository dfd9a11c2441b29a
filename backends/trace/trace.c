/* trace: the example backend of the porting guide (docs/porting.md), in plain C.
 *
 * It computes nothing itself: every call goes to the reference backend, whose table it copies,
 * and when the environment variable LATHE_TRACE names a file, one line per compute call is
 * appended to it first:
 *
 *     binary op=2 a=f32[2, 3] b=f32[3] out=f32[2, 3]
 *
 * (op codes are the enums of backends/backend.h). So it shows two things: the smallest complete
 * backend a port can start from (an entry point returning a checked table: ABI version, size,
 * name, every required function), and which kernel calls one op makes, which the autograd
 * walkthrough (docs/autograd-walkthrough.md) uses. It passes the conformance suite
 * (`lathe conformance --backend trace`) because the reference loops do the work; a real port
 * replaces the forwarding functions with its own kernels one at a time, rerunning the suite. */
#include <stdio.h>
#include <stdlib.h>

#include "../backend.h"
#include "../reference/reference.h"

static const lathe_backend* ref; /* the backend every call is forwarded to */
static FILE* trace_file;         /* NULL: tracing off */

static const char* dtype_name(lathe_dtype t) {
  static const char* names[] = {"f32", "f64", "i32", "i64", "bool", "f16", "bf16"};
  return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

static void put_view(const char* label, const lathe_view* v) {
  fprintf(trace_file, " %s=%s[", label, dtype_name(v->dtype));
  for (int32_t i = 0; i < v->ndim; ++i)
    fprintf(trace_file, "%s%lld", i ? ", " : "", (long long)v->shape[i]);
  fputc(']', trace_file);
}

/* One line: the function, an op code (or -1), then the views. */
static void trace(const char* fn, int op, const lathe_view* a, const lathe_view* b,
                  const lathe_view* out) {
  if (!trace_file) return;
  fputs(fn, trace_file);
  if (op >= 0) fprintf(trace_file, " op=%d", op);
  if (a) put_view(b ? "a" : "in", a);
  if (b) put_view("b", b);
  if (out) put_view("out", out);
  fputc('\n', trace_file);
}

static int32_t trace_device_count(void) { return 1; }

static const char* trace_describe(void) {
  return "trace: the reference loops, each compute call logged to the file $LATHE_TRACE names";
}

static lathe_status trace_copy(int32_t d, const lathe_view* src, const lathe_view* dst) {
  trace("copy", -1, src, NULL, dst);
  return ref->copy(d, src, dst);
}

static lathe_status trace_fill(int32_t d, const lathe_view* dst, double value) {
  trace("fill", -1, NULL, NULL, dst);
  return ref->fill(d, dst, value);
}

static lathe_status trace_unary(int32_t d, lathe_unary_op op, const lathe_view* in,
                                const lathe_view* out, double a, double b) {
  trace("unary", op, in, NULL, out);
  return ref->unary(d, op, in, out, a, b);
}

static lathe_status trace_binary(int32_t d, lathe_binary_op op, const lathe_view* a,
                                 const lathe_view* b, const lathe_view* out) {
  trace("binary", op, a, b, out);
  return ref->binary(d, op, a, b, out);
}

static lathe_status trace_where(int32_t d, const lathe_view* cond, const lathe_view* a,
                                const lathe_view* b, const lathe_view* out) {
  trace("where", -1, a, b, out);
  return ref->where(d, cond, a, b, out);
}

static lathe_status trace_reduce(int32_t d, lathe_reduce_op op, const lathe_view* in,
                                 const lathe_view* out, uint32_t axes) {
  trace("reduce", op, in, NULL, out);
  return ref->reduce(d, op, in, out, axes);
}

static lathe_status trace_matmul(int32_t d, const lathe_view* a, const lathe_view* b,
                                 const lathe_view* out) {
  trace("matmul", -1, a, b, out);
  return ref->matmul(d, a, b, out);
}

static lathe_status trace_gather(int32_t d, const lathe_view* src, const lathe_view* index,
                                 int32_t axis, const lathe_view* out) {
  trace("gather", -1, src, NULL, out);
  return ref->gather(d, src, index, axis, out);
}

static lathe_status trace_scatter_add(int32_t d, const lathe_view* dst, const lathe_view* index,
                                      const lathe_view* src, int32_t axis) {
  trace("scatter_add", -1, src, NULL, dst);
  return ref->scatter_add(d, dst, index, src, axis);
}

static lathe_status trace_scan(int32_t d, lathe_scan_op op, const lathe_view* in,
                               const lathe_view* out, int32_t axis, int32_t reverse) {
  trace("scan", op, in, NULL, out);
  return ref->scan(d, op, in, out, axis, reverse);
}

static lathe_status trace_sort(int32_t d, const lathe_view* in, const lathe_view* values,
                               const lathe_view* indices, int32_t axis, int32_t descending) {
  trace("sort", -1, in, NULL, values);
  return ref->sort(d, in, values, indices, axis, descending);
}

static lathe_status trace_rand(int32_t d, lathe_rand_dist dist, uint64_t seed, uint64_t offset,
                               const lathe_view* out, double a, double b) {
  trace("rand", dist, NULL, NULL, out);
  return ref->rand(d, dist, seed, offset, out, a, b);
}

/* The table: the reference backend's (memory, synchronize, last_error and any function this file
 * does not wrap are the reference's own), with this backend's name and the wrappers above. */
__attribute__((visibility("default"))) const lathe_backend* lathe_backend_entry(void) {
  static lathe_backend table;
  if (!ref) {
    const char* path = getenv("LATHE_TRACE");
    if (path && *path) trace_file = fopen(path, "a");
    if (trace_file) setvbuf(trace_file, NULL, _IOLBF, 0);
    ref = lathe_backend_reference();
    table = *ref;
    table.name = "trace";
    table.device_count = trace_device_count;
    table.describe = trace_describe;
    table.copy = trace_copy;
    table.fill = trace_fill;
    table.unary = trace_unary;
    table.binary = trace_binary;
    table.where = trace_where;
    table.reduce = trace_reduce;
    table.matmul = trace_matmul;
    table.gather = trace_gather;
    table.scatter_add = trace_scatter_add;
    table.scan = trace_scan;
    table.sort = trace_sort;
    table.rand = trace_rand;
  }
  return &table;
}
