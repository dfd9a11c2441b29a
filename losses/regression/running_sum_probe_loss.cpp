// running_sum_probe_loss: the auxiliary probe loss that teaches a small transformer
// multi-digit multiplication. Operands a, b as digits, least significant first; for output
// position k the running sum
//   s_k = sum_{i+j=k} a_i b_j,   c^_k = s_k + floor(c^_{k-1} / 10)   (c^_{-1} = 0),
// whose last digit is the product's digit k (running_sum_targets). For each probed head h a
// bias-free linear probe w_h [dh] reads the head's output o_{h,k} at the position predicting
// digit k:
//   pred[b, k, h] = <w_h, o[b, k, h]>,   l = (pred - c^[b, k])^2,
// reduced 'mean' (default, nn.MSELoss), 'sum' or 'none' ([B, K, H]). The training objective is
// L_LM + lambda L_aux (the caller's).
// Paper: "Why Can't Transformers Learn Multiplication?" (catalog: regression.md; official code
// ajyl/icot src/model_utils.py, experiments/probe_c_hat.py get_c_hats, src/probes.py).
// Defaults: reduction 'mean'. The released code has no training script for the auxiliary loss:
// lambda and the probed layer are not recovered (the caller's); targets are O(100), so a small
// lambda or normalized targets are advised.
// Gradients (autograd): into the head outputs (the point: shaping the residual stream) and the
// probe weights; the targets are data.
// Composite.
#include "losses/regression/regression.h"
#include "ops/composite.h"

namespace lathe {

std::vector<int64_t> running_sum_targets(const std::vector<int64_t>& a,
                                         const std::vector<int64_t>& b) {
  std::vector<int64_t> out;
  for (size_t k = 0; k < a.size() + b.size(); ++k) {
    int64_t s = 0;
    for (size_t i = 0; i < a.size(); ++i)
      if (k >= i && k - i < b.size()) s += a[i] * b[k - i];
    out.push_back(s + (out.empty() ? 0 : out.back() / 10));
  }
  return out;
}

Tensor running_sum_probe_loss(const Tensor& head_out, const Tensor& weight, const Tensor& target,
                              const RunningSumProbeLossOptions& o) {
  const char* op = "running_sum_probe_loss";
  check_floating(op, "head_out", head_out);
  check_floating(op, "weight", weight);
  check_dim(op, "head_out", head_out, 4);
  const Shape& s = head_out.shape();
  check_shape(op, "weight", weight, {s[2], s[3]});
  check_shape(op, "target", target, {s[0], s[1]});
  Reduction r = parse_reduction(op, o.reduction);
  Tensor pred = sum(head_out * weight, {3});                        // [B, K, H]
  Tensor d = pred - unsqueeze(target.detach(), 2);                  // [B, K, H]
  return apply_reduction(d * d, r);
}

LATHE_REGISTER_OPS(running_sum_probe_loss) {
  registry.add(OpDef("running_sum_probe_loss", "regression")
                   .summary("linear probes of attention heads regressed onto multiplication "
                            "running sums")
                   .paper("Why Can't Transformers Learn Multiplication?")
                   .input("head_out")
                   .input("weight")
                   .input("target", Kind::floating, kNoGrad)
                   .options<RunningSumProbeLossOptions>()
                   .attr("reduction", &RunningSumProbeLossOptions::reduction,
                         "none ([B, K, H]) | mean | sum")
                   .output("loss")
                   .run(running_sum_probe_loss));
}

}  // namespace lathe
