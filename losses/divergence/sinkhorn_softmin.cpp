// sinkhorn_softmin (losses/divergence/sinkhorn_softmin.h): the log-domain Sinkhorn update
//   axis 1: out_i = -eps LSE_j(h_j - c_ij / eps)      c [N, M], h [M] -> [N]
//   axis 0: out_j = -eps LSE_i(h_i - c_ij / eps)      c [N, M], h [N] -> [M]
// Gradient, with P = exp(h - c / eps + out / eps) (the softmax along the reduced axis):
//   grad_c = g P (g broadcast along the reduced axis), grad_h = -eps * sum of grad_c over the
//   kept axis.
// The composite (h - c / eps, a logsumexp) allocates [N, M] temporaries per call and, under
// autograd, keeps them until the backward: iterated Sinkhorn keeps one set per update.
//
// Fused kernels (backends/fused_ops.def; cpu: backends/cpu/fused_sinkhorn.cpp), attrs {eps,
// axis}, one float dtype, contiguous views:
//   "sinkhorn_softmin":          in c [N, M], h          -> out
//   "sinkhorn_softmin_backward": in c, h, out, g         -> grad_h [, grad_c [N, M]]
//                                (the second output only when asked for: when c needs a
//                                gradient)
// Neither writes an [N, M] buffer beyond grad_c. When fused, the node saves c, h and out (c is
// the caller's, so a Sinkhorn loop holds O(N + M) per update); its rule runs the fused gradient
// kernel when no graph of the gradient is asked for, and otherwise the composite gradient above,
// so higher orders work on every backend.
#include "losses/divergence/sinkhorn_softmin.h"

#include "ops/composite.h"

namespace lathe {

namespace {

// h as a row [1, M] (axis 1) or a column [N, 1] (axis 0) against c [N, M].
Tensor along(const Tensor& v, int axis) {
  return axis == 1 ? reshape(v, {1, v.shape()[0]}) : reshape(v, {v.shape()[0], 1});
}

Tensor softmin_composite(const Tensor& c, const Tensor& h, double eps, int axis) {
  return -eps * logsumexp(along(h, axis) - c / eps, {axis});
}

// grad_c [N, M] and grad_h of out given g, with public ops (differentiable).
std::vector<Tensor> softmin_grads(const Tensor& c, const Tensor& h, const Tensor& out,
                                  const Tensor& g, double eps, int axis) {
  Tensor p = exp(along(h, axis) - c / eps + along(out, 1 - axis) / eps);  // [N, M]
  Tensor grad_c = along(g, 1 - axis) * p;                                 // [N, M]
  return {grad_c, -eps * sum(grad_c, {1 - axis})};
}

}  // namespace

Tensor sinkhorn_softmin(const Tensor& c, const Tensor& h, double eps, int axis, bool fusable) {
  const char* op = "sinkhorn_softmin";
  check_floating(op, "c", c);
  check_floating(op, "h", h);
  check_dim(op, "c", c, 2);
  check_dim(op, "h", h, 1);
  LATHE_CHECK(axis == 0 || axis == 1, "[", op, "] axis must be 0 or 1, got ", axis);
  LATHE_CHECK(eps > 0, "[", op, "] eps must be > 0, got ", eps);
  LATHE_CHECK(h.shape()[0] == c.shape()[axis], "[", op, "] h ", h.shape(), " must match c ",
              c.shape(), " along axis ", axis);
  DType dt = float_result(c, h);
  FusedKernel k{op, {c, h}, {{{c.shape()[1 - axis]}, dt}}, {eps, static_cast<double>(axis)}};
  auto composite = [eps, axis](const std::vector<Tensor>& in) {
    return std::vector<Tensor>{softmin_composite(in[0], in[1], eps, axis)};
  };
  auto rule = [eps, axis](const std::vector<Tensor>& g, const std::vector<Tensor>& in,
                          const std::vector<Tensor>& out) {
    const Tensor &cost = in[0], &h_in = in[1];
    if (!is_grad_enabled()) {
      std::vector<FusedOutput> outs{{h_in.shape(), h_in.dtype()}};
      if (cost.requires_grad()) outs.push_back({cost.shape(), cost.dtype()});
      FusedKernel backward{"sinkhorn_softmin_backward", {cost, h_in, out[0], g[0]}, outs,
                           {eps, static_cast<double>(axis)}};
      std::vector<Tensor> grads = try_fused(backward);
      if (!grads.empty())
        return std::vector<Tensor>{grads.size() > 1 ? grads[1] : Tensor(), grads[0]};
    }
    return softmin_grads(cost, h_in, out[0], g[0], eps, axis);
  };
  return fused_or_composite(k, fusable && c.dtype() == h.dtype(), composite, rule)[0];
}

}  // namespace lathe
