// softmax_cross_entropy: loss_n = logsumexp(x_n) - x_n[label_n] for logits x [N, C] and integer
// labels [N]: the per-row cross-entropy of a softmax classifier (F.cross_entropy with
// reduction 'none'), the building block of the catalog's cross_entropy.
// softmax_cross_entropy_backward: dx = (exp(x - lse) - one_hot(label)) * g[:, None], given the
// row log-sum-exp lse [N] the forward computed.
//
// Precision: with logits near 1e4, an f32 lse is off by ~5e-4, so lse - x[label] and
// exp(x - lse) would be too. The loss is computed as (m - x[label]) + log(sum(exp(x - m))) with
// m = max(x), and lse is kept in float64 whatever x's dtype (N values: no cost to speak of).
//
// Fused ops (optional): "softmax_cross_entropy": in x, labels (i64), out loss [N] (x's dtype),
// lse [N] (f64); "softmax_cross_entropy_backward": in g, x, labels, lse (f64), out dx. lse is kept
// for the backward and is not an output of the op. Labels outside [0, C) are an error either way.
#include "ops/composite.h"

namespace lathe {

namespace {
void check_args(const char* op, const Tensor& x, const Tensor& labels) {
  check_floating(op, x);
  LATHE_CHECK(x.dim() == 2, "[", op, "] logits must be [N, C], got ", x.shape());
  LATHE_CHECK(is_integral(labels.dtype()), "[", op, "] labels must be integers, got ",
              labels.dtype());
  LATHE_CHECK(labels.shape() == Shape{x.shape()[0]}, "[", op, "] labels ", labels.shape(),
              " must be [", x.shape()[0], "] for logits ", x.shape());
}

Tensor backward_composite(const Tensor& g, const Tensor& x, const Tensor& labels,
                          const Tensor& lse) {
  DType wide = promote(x.dtype(), lse.dtype());
  Tensor p = exp(cast(x, wide) - unsqueeze(lse, 1));             // [N, C]
  Tensor hot = cast(one_hot(labels, x.shape()[1]), wide);        // [N, C]
  return cast((p - hot) * unsqueeze(g, 1), x.dtype());
}
}  // namespace

Tensor softmax_cross_entropy(const Tensor& x, const Tensor& labels) {
  check_args("softmax_cross_entropy", x, labels);
  int64_t n = x.shape()[0];
  Tensor idx = labels.to(DType::i64);
  FusedKernel k{"softmax_cross_entropy", {x, idx}, {{{n}, x.dtype()}, {{n}, DType::f64}}, {}, 1};
  auto composite = [](const std::vector<Tensor>& in) {
    Tensor shifted = in[0] - max(in[0].detach(), {1}, true);                    // [N, C]
    Tensor picked = squeeze(gather(shifted, unsqueeze(in[1], 1), 1), {1});     // checks labels
    return std::vector<Tensor>{log(sum(exp(shifted), {1})) - picked};
  };
  auto rule = [](const std::vector<Tensor>& g, const std::vector<Tensor>& in,
                 const std::vector<Tensor>& out) {
    // The kernel's lse has no history; a differentiable gradient (create_graph) needs lse's own
    // dependence on x, so it is recomputed with it.
    Tensor lse = is_grad_enabled() ? logsumexp(cast(in[0], DType::f64), {1}) : out[1];
    return std::vector<Tensor>{softmax_cross_entropy_backward(g[0], in[0], in[1], lse), Tensor()};
  };
  return fused_or_composite(k, true, composite, rule)[0];
}

Tensor softmax_cross_entropy_backward(const Tensor& g, const Tensor& x, const Tensor& labels,
                                      const Tensor& lse) {
  const char* op = "softmax_cross_entropy_backward";
  check_args(op, x, labels);
  int64_t n = x.shape()[0];
  LATHE_CHECK(g.shape() == Shape{n} && lse.shape() == Shape{n}, "[", op, "] g ", g.shape(),
              " and lse ", lse.shape(), " must be [", n, "]");
  Tensor idx = labels.to(DType::i64);
  // Kernels take dense rows: g usually arrives as a broadcast view (from mean), a cheap copy.
  FusedKernel k{op, {g, x, idx, lse}, {{x.shape(), x.dtype()}}, {}};
  return fused_or_composite(k, true, [](const std::vector<Tensor>& in) {
    return std::vector<Tensor>{backward_composite(in[0], in[1], in[2], in[3])};
  })[0];
}

LATHE_REGISTER_OPS(softmax_cross_entropy) {
  registry.add(OpDef("softmax_cross_entropy", "nn")
                   .summary("per-row cross-entropy of logits [N, C] with integer labels [N]")
                   .input("x")
                   .input("labels", Kind::integer)
                   .output("loss")
                   .run([](const OpCall& c) {
                     return Outputs{softmax_cross_entropy(c.in("x"), c.in("labels"))};
                   }));
  registry.add(OpDef("softmax_cross_entropy_backward", "nn")
                   .summary("its gradient: (exp(x - lse) - one_hot(labels)) * g[:, None]")
                   .input("g")
                   .input("x")
                   .input("labels", Kind::integer)
                   .input("lse")
                   .output("dx")
                   .run([](const OpCall& c) {
                     return Outputs{softmax_cross_entropy_backward(c.in("g"), c.in("x"),
                                                                   c.in("labels"), c.in("lse"))};
                   }));
}

}  // namespace lathe
