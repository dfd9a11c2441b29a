// tsallis_entropy: the Tsallis entropy of router probabilities p [..., E] over the last axis
//   p <- p + eps;   S_q = (1 - sum_e p_e^q) / (q - 1)   (q != 1),   -sum_e p_e log p_e  (q = 1)
// divided by its maximum S_max = (1 - E^(1 - q)) / (q - 1) (log E at q = 1) when normalize.
// One value per token [...] (the loss declares its own reduction).
// Paper: "DynMoLE: Boosting Mixture of LoRA Experts Fine-Tuning with a Hybrid Routing
// Mechanism" (catalog: entropy.md, confidence 'official code': mikecovlee/DynMoLE
// moe_peft/common/moe_utils.py tsallis_entropy; defaults from adapters/dynmole/config.py).
// Defaults: q 1.1, eps 1e-5, normalize true.
// Decision: S_max is exact in the input's dtype; the reference builds it as a float32 tensor
// (a ~1e-8 relative rounding, not part of the op). q within 1e-12 of 1 takes the Shannon branch.
// Gradient (autograd): dS_q/dp_e = -q p_e^(q - 1) / ((q - 1) S_max).
// Composite.
#include "losses/entropy/entropy.h"
#include "ops/composite.h"

#include <cmath>

namespace lathe {

Tensor tsallis_entropy(const Tensor& probs, const TsallisEntropyOptions& o) {
  const char* op = "tsallis_entropy";
  check_floating(op, "probs", probs);
  LATHE_CHECK(probs.dim() >= 1, "[", op, "] probs must be [..., E], got a scalar");
  LATHE_CHECK(o.q > 0, "[", op, "] q must be > 0, got ", o.q);
  LATHE_CHECK(o.eps >= 0, "[", op, "] eps must be >= 0, got ", o.eps);
  double e = static_cast<double>(probs.shape().back());
  LATHE_CHECK(!o.normalize || e > 1, "[", op, "] normalize needs E > 1 experts, got ",
              probs.shape());
  // f16/bf16 compute in f32: eps 1e-5 is below half's resolution near 0.25, and 1 / (q - 1)
  // multiplies the cancellation in 1 - sum p^q by 10 at the default q.
  bool half = probs.dtype() == DType::f16 || probs.dtype() == DType::bf16;
  Tensor p = (half ? cast(probs, DType::f32) : probs) + o.eps;            // [..., E]
  bool shannon = std::fabs(o.q - 1.0) < 1e-12;
  Tensor s = shannon ? -sum(p * log(p), {-1})                             // [...]
                     : (1.0 - sum(pow(p, o.q), {-1})) / (o.q - 1.0);
  if (o.normalize) {
    s = s / (shannon ? std::log(e) : (1.0 - std::pow(e, 1.0 - o.q)) / (o.q - 1.0));
  }
  return half ? cast(s, probs.dtype()) : s;
}

LATHE_REGISTER_OPS(tsallis_entropy) {
  registry.add(OpDef("tsallis_entropy", "entropy")
                   .summary("Tsallis entropy (1 - sum p^q) / (q - 1) of router probabilities, "
                            "normalized by its maximum")
                   .paper("DynMoLE: Boosting Mixture of LoRA Experts Fine-Tuning with a Hybrid "
                          "Routing Mechanism")
                   .input("probs")
                   .options<TsallisEntropyOptions>()
                   .attr("q", &TsallisEntropyOptions::q, "entropy index > 0 (1: Shannon)")
                   .attr("eps", &TsallisEntropyOptions::eps, "added to every probability")
                   .attr("normalize", &TsallisEntropyOptions::normalize,
                         "divide by S_max = (1 - E^(1 - q)) / (q - 1)")
                   .own_reduction("one value per token (callers average or mask)")
                   .output("loss")
                   .run(tsallis_entropy));
}

}  // namespace lathe
