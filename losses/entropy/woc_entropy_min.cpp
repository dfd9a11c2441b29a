// woc_entropy_min: entropy minimization filtered by the "wisdom of crowds", for open-set
// test-time adaptation. Adapted-model logits z_a [N, C], frozen source-model logits z_o [N, C]:
//   c_i = argmax z_o,i,   m_i = 1[p_a(c_i | x_i) >= p_o(c_i | x_i)]     (a constant)
//   L = sum_i m_i H(p_a(x_i)) / max(sum_i m_i, 1) + div_weight sum_c pbar_c log pbar_c
// with pbar = mean_i p_a(x_i): samples whose confidence in the source prediction dropped are
// taken as noisy and left out. A scalar over the batch (the loss declares its own reduction).
// Paper: "Towards Open-Set Test-Time Adaptation Utilizing the Wisdom of Crowds in Entropy
// Minimization" (Lee, Das, Choo, Choi, ICCV 2023) (catalog: entropy.md, confidence 'code
// (port)': no official repository; gaozhengqing/UniEnt cifar/ostta.py OSTTA, criterion "ent").
// Defaults: div_weight 0 (the port's framework uses 0.5).
// Decision: no selected sample gives 0 (the count is clamped at 1), where the port's mean of an
// empty set is NaN. Ties p_a(c) = p_o(c) are kept.
// Gradient (autograd) through H(p_a) and the diversity term; the mask and the source model are
// constants (not differentiable where a sample crosses the selection boundary).
// Composite.
#include "losses/entropy/entropy.h"
#include "ops/composite.h"
#include "ops/nn/nn.h"

namespace lathe {

Tensor woc_entropy_min(const Tensor& input, const Tensor& source, const WocEntropyMinOptions& o) {
  const char* op = "woc_entropy_min";
  check_floating(op, "input", input);
  check_floating(op, "source", source);
  check_dim(op, "input", input, 2);
  check_same_shape(op, "input", input, "source", source);
  Tensor log_pa = log_softmax(input, 1), pa = exp(log_pa);                // [N, C]
  Tensor po = softmax(source.detach(), 1);
  Tensor c = argmax(po, 1, true);                                         // [N, 1] int
  Tensor keep = cast(ge(gather(pa, c, 1).detach(), gather(po, c, 1)), pa.dtype());  // [N, 1]
  Tensor h = -sum(pa * log_pa, {1}, true);                                // [N, 1]
  Tensor loss = sum(h * keep) / clamp(sum(keep), 1.0);                    // []
  if (o.div_weight == 0) return loss;
  Tensor pbar = mean(pa, {0});                                            // [C]
  return loss + o.div_weight * sum(pbar * log(pbar));
}

LATHE_REGISTER_OPS(woc_entropy_min) {
  registry.add(OpDef("woc_entropy_min", "entropy")
                   .summary("entropy minimization over the samples whose confidence in the "
                            "source prediction did not drop")
                   .paper("Towards Open-Set Test-Time Adaptation Utilizing the Wisdom of Crowds "
                          "in Entropy Minimization")
                   .input("input")
                   .input("source", Kind::floating, kNoGrad)
                   .options<WocEntropyMinOptions>()
                   .attr("div_weight", &WocEntropyMinOptions::div_weight,
                         "weight of the diversity term sum pbar log pbar")
                   .own_reduction("a mean over the selected samples")
                   .output("loss")
                   .run(woc_entropy_min));
}

}  // namespace lathe
