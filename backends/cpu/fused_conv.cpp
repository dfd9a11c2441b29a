// The convolution kernels of the cpu backend through oneDNN (2.x API): conv_forward,
// conv_backward_data and conv_backward_weights, contracts in ops/nn/conv_grad.cpp (the composite
// there is the fallback and the reference the conformance tests compare these against).
// oneDNN's convolutions are f32 (and bf16) only, so f64 calls are declined and run the
// composite. Depthwise calls (groups = C = O) go to direct loops instead, f32 and f64
// (fused_depthwise.cpp). Each call describes its views to oneDNN as plain strided memory and
// lets the primitive choose its own layout (format `any`: the blocked nChw8c / nChw16c its JIT
// kernels want); reorders move data in and out when the two differ. oneDNN caches the primitives
// themselves (its primitive cache); the descriptor is rebuilt per call, which costs microseconds
// against the milliseconds of a convolution worth fusing.
#include <dnnl.hpp>

#include <vector>

#include "backends/cpu/cpu.h"

namespace lathe_cpu {

namespace {

using dnnl::memory;

dnnl::engine& engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

// The call's geometry: dims of x, weight (grouped as oneDNN wants when groups > 1) and y, and
// oneDNN's strides, dilations (0 = dense) and paddings.
struct Geometry {
  memory::dims src, weights, dst, strides, dilates, pad_l, pad_r;
  int64_t groups = 1;
};

bool plain_f32(const lathe_view& v, int ndim) {
  if (v.dtype != LATHE_F32 || v.ndim != ndim) return false;
  for (int i = 0; i < ndim; ++i)
    if (v.shape[i] > 1 && v.strides[i] <= 0) return false;  // oneDNN has no broadcast
  return true;
}

// Inputs/outputs in the kernel's order: the view holding x, weight and y (or their gradients).
bool geometry_of(lathe_fused_op op, const lathe_fused_call* call, Geometry* g) {
  if (call->n_inputs != 2 || call->n_outputs != 1) return false;
  const lathe_view *x, *w, *y;
  if (op == LATHE_FUSED_CONV_FORWARD) {
    x = &call->inputs[0], w = &call->inputs[1], y = &call->outputs[0];
  } else if (op == LATHE_FUSED_CONV_BACKWARD_DATA) {
    y = &call->inputs[0], w = &call->inputs[1], x = &call->outputs[0];
  } else {
    x = &call->inputs[0], y = &call->inputs[1], w = &call->outputs[0];
  }
  int nd = x->ndim;
  int d = nd - 2;
  if (d < 1 || d > 3 || call->n_attrs != 1 + 4 * d) return false;
  if (!plain_f32(*x, nd) || !plain_f32(*w, nd) || !plain_f32(*y, nd)) return false;
  const double* a = call->attrs;
  g->groups = static_cast<int64_t>(a[0]);
  int64_t c = x->shape[1], o = w->shape[0];
  if (g->groups < 1 || c % g->groups != 0 || o % g->groups != 0 ||
      w->shape[1] * g->groups != c || y->shape[0] != x->shape[0] || y->shape[1] != o)
    return false;
  g->src.assign(x->shape, x->shape + nd);
  g->dst.assign(y->shape, y->shape + nd);
  if (g->groups > 1) g->weights.push_back(g->groups);
  g->weights.push_back(o / g->groups);
  g->weights.insert(g->weights.end(), w->shape + 1, w->shape + nd);
  for (int i = 0; i < d; ++i) {
    auto attr = [&](int block) { return static_cast<int64_t>(a[1 + block * d + i]); };
    int64_t stride = attr(0), dilation = attr(1), lo = attr(2), hi = attr(3);
    if (stride < 1 || dilation < 1 || lo < 0 || hi < 0) return false;
    int64_t span = dilation * (w->shape[2 + i] - 1) + 1;
    int64_t padded = x->shape[2 + i] + lo + hi;
    if (padded < span || y->shape[2 + i] != (padded - span) / stride + 1) return false;
    // oneDNN gets the hi padding the last window actually reaches (the rows past it are never
    // read, so dropping them changes nothing); 0 when it stops inside the input.
    int64_t reached = (y->shape[2 + i] - 1) * stride + span - x->shape[2 + i] - lo;
    g->strides.push_back(stride);
    g->dilates.push_back(dilation - 1);
    g->pad_l.push_back(lo);
    g->pad_r.push_back(reached > 0 ? reached : 0);
  }
  return true;
}

// The view as oneDNN plain memory; the weight view [O, C/G, *K] as [G, O/G, C/G, *K] grouped.
memory::desc user_desc(const lathe_view& v, const memory::dims& dims) {
  memory::dims strides;
  if (static_cast<int>(dims.size()) == v.ndim + 1) {  // grouped weights
    strides.push_back(v.strides[0] * dims[1]);
  }
  strides.insert(strides.end(), v.strides, v.strides + v.ndim);
  return memory::desc(dims, memory::data_type::f32, strides);
}

memory::desc any_desc(const memory::dims& dims) {
  return memory::desc(dims, memory::data_type::f32, memory::format_tag::any);
}

dnnl::convolution_forward::primitive_desc forward_pd(const Geometry& g) {
  dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_training,
                                    dnnl::algorithm::convolution_direct, any_desc(g.src),
                                    any_desc(g.weights), any_desc(g.dst), g.strides, g.dilates,
                                    g.pad_l, g.pad_r);
  return dnnl::convolution_forward::primitive_desc(d, engine());
}

// `user` as the layout `want`: itself, or a reordered copy (into, when reading).
// (Memory objects are handles: passed by value.)
memory as_layout(memory user, const memory::desc& want, dnnl::stream& s, bool read) {
  if (user.get_desc() == want) return user;
  memory m(want, engine());
  if (read) dnnl::reorder(user, m).execute(s, user, m);
  return m;
}

// Copies the primitive's result into the user's view when it computed into its own layout.
void write_back(memory got, memory user, dnnl::stream& s) {
  if (got.get_data_handle() != user.get_data_handle())
    dnnl::reorder(got, user).execute(s, got, user);
}

// Runs the call (supports has checked it); throws dnnl::error when oneDNN has no kernel.
void run(lathe_fused_op op, const lathe_fused_call* call, const Geometry& g) {
  dnnl::stream s(engine());
  auto fwd = forward_pd(g);
  if (op == LATHE_FUSED_CONV_FORWARD) {
    memory x(user_desc(call->inputs[0], g.src), engine(), call->inputs[0].data);
    memory w(user_desc(call->inputs[1], g.weights), engine(), call->inputs[1].data);
    memory y(user_desc(call->outputs[0], g.dst), engine(), call->outputs[0].data);
    memory xs = as_layout(x, fwd.src_desc(), s, true);
    memory ws = as_layout(w, fwd.weights_desc(), s, true);
    memory ys = as_layout(y, fwd.dst_desc(), s, false);
    dnnl::convolution_forward(fwd).execute(
        s, {{DNNL_ARG_SRC, xs}, {DNNL_ARG_WEIGHTS, ws}, {DNNL_ARG_DST, ys}});
    write_back(ys, y, s);
  } else if (op == LATHE_FUSED_CONV_BACKWARD_DATA) {
    dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct,
                                            any_desc(g.src), any_desc(g.weights),
                                            any_desc(g.dst), g.strides, g.dilates, g.pad_l,
                                            g.pad_r);
    dnnl::convolution_backward_data::primitive_desc pd(d, engine(), fwd);
    memory gy(user_desc(call->inputs[0], g.dst), engine(), call->inputs[0].data);
    memory w(user_desc(call->inputs[1], g.weights), engine(), call->inputs[1].data);
    memory gx(user_desc(call->outputs[0], g.src), engine(), call->outputs[0].data);
    memory gys = as_layout(gy, pd.diff_dst_desc(), s, true);
    memory ws = as_layout(w, pd.weights_desc(), s, true);
    memory gxs = as_layout(gx, pd.diff_src_desc(), s, false);
    dnnl::convolution_backward_data(pd).execute(
        s, {{DNNL_ARG_DIFF_DST, gys}, {DNNL_ARG_WEIGHTS, ws}, {DNNL_ARG_DIFF_SRC, gxs}});
    write_back(gxs, gx, s);
  } else {
    dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct,
                                               any_desc(g.src), any_desc(g.weights),
                                               any_desc(g.dst), g.strides, g.dilates, g.pad_l,
                                               g.pad_r);
    dnnl::convolution_backward_weights::primitive_desc pd(d, engine(), fwd);
    memory x(user_desc(call->inputs[0], g.src), engine(), call->inputs[0].data);
    memory gy(user_desc(call->inputs[1], g.dst), engine(), call->inputs[1].data);
    memory gw(user_desc(call->outputs[0], g.weights), engine(), call->outputs[0].data);
    memory xs = as_layout(x, pd.src_desc(), s, true);
    memory gys = as_layout(gy, pd.diff_dst_desc(), s, true);
    memory gws = as_layout(gw, pd.diff_weights_desc(), s, false);
    dnnl::convolution_backward_weights(pd).execute(
        s, {{DNNL_ARG_SRC, xs}, {DNNL_ARG_DIFF_DST, gys}, {DNNL_ARG_DIFF_WEIGHTS, gws}});
    write_back(gws, gw, s);
  }
  s.wait();
}

bool is_conv(lathe_fused_op op) {
  return op == LATHE_FUSED_CONV_FORWARD || op == LATHE_FUSED_CONV_BACKWARD_DATA ||
         op == LATHE_FUSED_CONV_BACKWARD_WEIGHTS;
}

}  // namespace

bool conv_supports(lathe_fused_op op, const lathe_fused_call* call) {
  if (!is_conv(op)) return false;
  if (depthwise_supports(op, call)) return true;
  Geometry g;
  if (!geometry_of(op, call, &g)) return false;
  try {
    forward_pd(g);  // oneDNN has a kernel for this geometry
  } catch (const dnnl::error&) {
    return false;
  }
  return true;
}

bool conv_run(lathe_fused_op op, const lathe_fused_call* call, lathe_status* status) {
  if (!is_conv(op)) return false;
  if (depthwise_run(op, call)) {
    *status = LATHE_OK;
    return true;
  }
  Geometry g;
  if (!geometry_of(op, call, &g)) {
    *status = fail(LATHE_ERR_UNSUPPORTED, "cpu: no fused kernel '%s' for this call", call->op);
    return true;
  }
  try {
    run(op, call, g);
    *status = LATHE_OK;
  } catch (const dnnl::error& e) {
    *status = fail(LATHE_ERR_INVALID, "cpu: oneDNN refused '%s': %s", call->op, e.what());
  }
  return true;
}

}  // namespace lathe_cpu
