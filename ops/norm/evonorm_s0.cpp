// evonorm_s0: EvoNorm-S0 on x [N, C, *spatial] with per-channel gamma, beta, v ([C] or
// [1, C, 1, ...]) and G groups (G lowered by one until it divides C, so C = 24 with the default
// 32 gives 24 groups):
//   s2_g = variance over (C / G channels, spatial) per (n, group) (biased)
//   y = x sigmoid(v x) / sqrt(s2_g + eps) * gamma + beta
// Batch-independent, so train and eval agree; x sigmoid(v x) is SiLU with a learnable slope.
// nonlinearity = false: y = x gamma + beta.
// Paper: "Evolving Normalization-Activation Layers" (Liu, Brock, Simonyan, Le, NeurIPS 2020).
// Code: tensorflow/tpu, models/official/resnet/resnet_model.py (evonorm, _group_std), checked:
// the group decrement loop, biased tf.nn.moments over (C / G, H, W), eps inside the sqrt.
// Defaults: groups 32, eps 1e-5, nonlinearity true.
// Composite: autograd; the group std couples every element of a group.
#include <algorithm>

#include "ops/norm/common.h"

namespace lathe {

Tensor evonorm_s0(const Tensor& x, const Tensor& gamma, const Tensor& beta, const Tensor& v,
                  int64_t groups, double eps, bool nonlinearity) {
  const char* op = "evonorm_s0";
  check_floating(op, x);
  LATHE_CHECK(x.dim() >= 3, "[evonorm_s0] expected x [N, C, *spatial] with a spatial dim, got ",
              x.shape());
  LATHE_CHECK(groups >= 1, "[evonorm_s0] groups must be >= 1, got ", groups);
  LATHE_CHECK(eps >= 0, "[evonorm_s0] eps must be >= 0, got ", eps);
  DType sd = norms::stat_dtype(x);
  Tensor g = norms::as_dtype(norms::channel_param(op, "gamma", gamma, x), sd);
  Tensor b = norms::as_dtype(norms::channel_param(op, "beta", beta, x), sd);
  Tensor vv = norms::as_dtype(norms::channel_param(op, "v", v, x), sd);
  Tensor xs = norms::as_dtype(x, sd);
  if (!nonlinearity) return norms::as_dtype(xs * g + b, x.dtype());

  int64_t c = x.shape()[1];
  // No G > C divides C: start at C, so that groups = 2^62 is not 2^62 decrements (a hang).
  if (c > 0) groups = std::min(groups, c);
  while (groups > 1 && c % groups != 0) --groups;
  Shape grouped{x.shape()[0], groups, c / groups};
  for (int i = 2; i < x.dim(); ++i) grouped.push_back(x.shape()[i]);
  Axes within;
  for (int i = 2; i < grouped.size(); ++i) within.push_back(i);
  Tensor xg = reshape(xs, grouped);  // [N, G, C / G, *spatial]
  Tensor d = xg - mean(xg, within, true);
  Tensor std_g = sqrt(mean(d * d, within, true) + eps);  // [N, G, 1, ...]
  Tensor num = reshape(xs * sigmoid(vv * xs), grouped);  // [N, G, C / G, *spatial]
  Tensor y = reshape(num / std_g, x.shape());            // [N, C, *spatial]
  return norms::as_dtype(y * g + b, x.dtype());
}

LATHE_REGISTER_OPS(evonorm_s0) {
  registry.add(OpDef("evonorm_s0", "normalization")
                   .summary("x sigmoid(v x) / sqrt(var_group + eps) * gamma + beta")
                   .paper("Evolving Normalization-Activation Layers (Liu et al., 2020)")
                   .input("x")
                   .input("gamma")
                   .input("beta")
                   .input("v")
                   .attr("groups", 32, "channel groups, lowered until it divides C")
                   .attr("eps", 1e-5, "added to the group variance")
                   .attr("nonlinearity", true, "false: y = x gamma + beta")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{evonorm_s0(c.in("x"), c.in("gamma"), c.in("beta"), c.in("v"),
                                               c.i("groups"), c.f("eps"), c.b("nonlinearity"))};
                   }));
}

}  // namespace lathe
