// oneDNN (2.x API) for the cpu backend: its JIT eltwise kernels evaluate exp, log, tanh,
// sigmoid and softplus on whole f32 arrays several times faster than a scalar libm loop.
// Primitive creation is expensive (tens of microseconds), so primitives are cached by
// (algorithm, size); the cache is small and per thread (a training loop reuses a few shapes).
#include <dnnl.hpp>

#include <cmath>
#include <cstdio>
#include <list>
#include <tuple>

#include "backends/cpu/cpu.h"

namespace lathe_cpu {

namespace {

// Below this many elements a plain loop is faster than oneDNN's call overhead.
constexpr int64_t kDnnlMinElements = 16384;
constexpr size_t kCacheEntries = 32;

dnnl::engine& engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

bool dense(const lathe_view* v, int64_t* n) {
  int64_t expected = 1;
  for (int d = v->ndim - 1; d >= 0; --d) {
    if (v->shape[d] != 1 && v->strides[d] != expected) return false;
    expected *= v->shape[d];
  }
  *n = expected;
  return true;
}

struct Entry {
  dnnl::algorithm alg;
  float alpha, beta;
  int64_t n;
  dnnl::eltwise_forward prim;
};

dnnl::eltwise_forward& primitive(dnnl::algorithm alg, float alpha, float beta, int64_t n) {
  thread_local std::list<Entry> cache;  // most recently used first
  for (auto it = cache.begin(); it != cache.end(); ++it) {
    if (it->alg == alg && it->alpha == alpha && it->beta == beta && it->n == n) {
      cache.splice(cache.begin(), cache, it);
      return cache.front().prim;
    }
  }
  dnnl::memory::desc md({n}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::a);
  dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference, alg, md, alpha, beta);
  dnnl::eltwise_forward::primitive_desc pd(d, engine());
  cache.push_front({alg, alpha, beta, n, dnnl::eltwise_forward(pd)});
  if (cache.size() > kCacheEntries) cache.pop_back();
  return cache.front().prim;
}

}  // namespace

bool dnnl_unary(lathe_unary_op op, const lathe_view* in, const lathe_view* out, double a,
                double b) {
  int64_t n = 0, n_out = 0;
  if (!dense(in, &n) || !dense(out, &n_out) || n < kDnnlMinElements) return false;
  dnnl::algorithm alg;
  float alpha = 0, beta = 0;
  switch (op) {
    case LATHE_UNARY_EXP: alg = dnnl::algorithm::eltwise_exp; break;
    case LATHE_UNARY_LOG: alg = dnnl::algorithm::eltwise_log; break;
    case LATHE_UNARY_TANH: alg = dnnl::algorithm::eltwise_tanh; break;
    case LATHE_UNARY_SIGMOID: alg = dnnl::algorithm::eltwise_logistic; break;
    case LATHE_UNARY_SOFTPLUS:
      // oneDNN's soft_relu is log(1 + e^x), exact to f32 rounding also past lathe's linear
      // threshold when that threshold is PyTorch's default (x > 20: log1p(e^x) == x in f32).
      if (a != 1.0 || b < 20.0) return false;
      alg = dnnl::algorithm::eltwise_soft_relu;
      break;
    default: return false;
  }
  try {
    dnnl::memory::desc md({n}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::a);
    dnnl::memory src(md, engine(), in->data), dst(md, engine(), out->data);
    dnnl::stream s(engine());
    primitive(alg, alpha, beta, n).execute(s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
    s.wait();
  } catch (const dnnl::error&) {
    return false;  // the loop computes it instead
  }
  return true;
}

const char* dnnl_version_string() {
  static char text[32];
  const dnnl_version_t* v = dnnl_version();
  std::snprintf(text, sizeof text, "%d.%d.%d", v->major, v->minor, v->patch);
  return text;
}

}  // namespace lathe_cpu
