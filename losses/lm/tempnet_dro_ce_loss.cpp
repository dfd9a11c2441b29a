// tempnet_dro_ce_loss: TempNet's distributionally robust cross-entropy with a per-token
// temperature. Logits z [N, K] (K the vocabulary), class indices y [N], temperatures
// tau [N, 1] (> 0, from tempnet_head):
//   l = tau CE(z / tau, y) + (rho - log K) tau,
// the dual of max_{q: KL(q || uniform) <= rho} E_q[loss], reduced 'mean' over the tokens
// (default; the official function ignores the loss mask), 'sum' or 'none' ([N]).
// Paper: "To Cool or not to Cool? Temperature Network Meets Large Foundation Models via DRO"
// (catalog: lm.md, official code).
// Defaults: rho 8 (GPT-2; LLaMA 10; the official function's default is 1), reduction 'mean'.
// Gradients (autograd): dl/dz = softmax(z / tau) - e_y; dl/dtau = CE(z / tau, y)
// - <softmax(z / tau) - e_y, z> / tau + (rho - log K).
// Composite.
#include "losses/lm/lm.h"
#include "ops/composite.h"

#include <cmath>

namespace lathe {

Tensor tempnet_dro_ce_loss(const Tensor& input, const Tensor& target, const Tensor& tau,
                           const TempnetDroCeLossOptions& o) {
  const char* op = "tempnet_dro_ce_loss";
  check_floating(op, "input", input);
  check_dim(op, "input", input, 2);
  Reduction r = parse_reduction(op, o.reduction);
  int64_t n = input.shape()[0], k = input.shape()[1];
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) && target.shape() == Shape{n}, "[",
              op, "] class-index targets must be integers [", n, "], got ",
              target.defined() ? target.shape() : Shape{});
  check_shape(op, "tau", tau, {n, 1});
  for (int64_t t : target.to(DType::i64).to_vector<int64_t>())
    LATHE_CHECK(t >= 0 && t < k, "[", op, "] target ", t, " out of range [0, ", k, ")");
  Tensor t = reshape(tau, {n});                                                 // [N]
  Tensor ce = softmax_cross_entropy(input / tau, target.to(DType::i64));        // [N]
  Tensor rows = t * ce + (o.rho - std::log(double(k))) * t;                     // [N]
  return apply_reduction(rows, r);
}

LATHE_REGISTER_OPS(tempnet_dro_ce_loss) {
  registry.add(OpDef("tempnet_dro_ce_loss", "lm")
                   .summary("TempNet's DRO cross-entropy tau CE(z / tau, y) + (rho - log K) tau")
                   .paper("To Cool or not to Cool? Temperature Network Meets Large Foundation "
                          "Models via DRO")
                   .input("input")
                   .input("target", Kind::integer)
                   .input("tau")
                   .options<TempnetDroCeLossOptions>()
                   .attr("rho", &TempnetDroCeLossOptions::rho,
                         "KL radius (GPT-2 8, LLaMA 10; the function's default 1)")
                   .attr("reduction", &TempnetDroCeLossOptions::reduction,
                         "none | mean | sum, over the tokens")
                   .output("loss")
                   .run(tempnet_dro_ce_loss));
}

}  // namespace lathe
