// happy_entropy_reg: Happy's debiased entropy regularizer for continual category discovery, on
// the batch-mean prediction pbar = mean_i softmax(z_i / 0.1) of logits z [N, K] (both views
// stacked), K = K_old + K_new:
//   P_o = sum_{c < K_old} pbar_c,  P_n = 1 - P_o:   L_on = P_o log P_o + P_n log P_n + log 2
//   L_o = sum_old (pbar / P_o) log(pbar / P_o) + log K_old,   L_n likewise over the new classes
//   L = w_on L_on + w_o L_o + w_n L_n                       (2, 1, 1)
// Every term is >= 0 and 0 at its uniform split (old/new 50/50, uniform within each group);
// L_n is 0 with one new class. A scalar over the batch (the loss declares its own reduction).
// Paper: "Happy: A Debiased Learning Framework for Continual Generalized Category Discovery"
// (catalog: entropy.md, confidence 'official code': mashijie1028/Happy-CGCD train_happy.py
// train_online and its argparse defaults).
// Defaults: w_on 2, w_o 1, w_n 1, temperature 0.1; k_old required in [1, K) (with no new class
// the group split is undefined: P_n = 0). The companion feature distillation and the
// prototype sampling are separate pieces of the method, not this op.
// Numerics: p log p is taken as 0 where a mean probability underflows to 0 (collapsed
// predictions at temperature 0.1), instead of NaN.
// Gradient (autograd) through the softmax; smooth while pbar > 0.
// Composite.
#include "losses/entropy/entropy.h"
#include "ops/composite.h"
#include "ops/nn/nn.h"

#include <cmath>

namespace lathe {
namespace {

Tensor plogp(const Tensor& p) {  // p log p, 0 at p = 0
  return p * log(where(gt(p, 0.0), p, scalar_like(1.0, p)));
}

}  // namespace

Tensor happy_entropy_reg(const Tensor& input, const HappyEntropyRegOptions& o) {
  const char* op = "happy_entropy_reg";
  check_floating(op, "input", input);
  check_dim(op, "input", input, 2);
  int64_t k = input.shape()[1];
  LATHE_CHECK(input.shape()[0] > 0, "[", op, "] input needs samples, got ", input.shape());
  LATHE_CHECK(o.k_old >= 1 && o.k_old < k, "[", op, "] k_old must be in [1, K = ", k,
              "), got ", o.k_old);
  LATHE_CHECK(o.temperature > 0, "[", op, "] temperature must be > 0, got ", o.temperature);
  Tensor pbar = mean(softmax(input / o.temperature, 1), {0});             // [K]
  Tensor p_old = slice(pbar, 0, 0, o.k_old), p_new = slice(pbar, 0, o.k_old, k);
  Tensor po = sum(p_old), pn = sum(p_new);                                // []
  Tensor l_on = plogp(po) + plogp(pn) + std::log(2.0);
  Tensor l_o = sum(plogp(p_old / po)) + std::log(static_cast<double>(o.k_old));
  Tensor loss = o.w_on * l_on + o.w_o * l_o;
  int64_t k_new = k - o.k_old;
  if (k_new > 1) loss = loss + o.w_n * (sum(plogp(p_new / pn)) + std::log(double(k_new)));
  return loss;
}

LATHE_REGISTER_OPS(happy_entropy_reg) {
  registry.add(OpDef("happy_entropy_reg", "entropy")
                   .summary("Happy's group-wise entropy regularizer on the batch-mean "
                            "prediction (old/new balance, intra-group balance)")
                   .paper("Happy: A Debiased Learning Framework for Continual Generalized "
                          "Category Discovery")
                   .input("input")
                   .options<HappyEntropyRegOptions>()
                   .attr("k_old", &HappyEntropyRegOptions::k_old,
                         "classes [0, k_old) are old (required, in [1, K))")
                   .attr("w_on", &HappyEntropyRegOptions::w_on, "weight of old/new balance")
                   .attr("w_o", &HappyEntropyRegOptions::w_o, "weight of intra-old balance")
                   .attr("w_n", &HappyEntropyRegOptions::w_n, "weight of intra-new balance")
                   .attr("temperature", &HappyEntropyRegOptions::temperature,
                         "softmax temperature > 0")
                   .own_reduction("a scalar of the batch-mean prediction")
                   .output("loss")
                   .run(happy_entropy_reg));
}

}  // namespace lathe
