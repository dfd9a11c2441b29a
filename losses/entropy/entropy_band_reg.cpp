// entropy_band_reg: the entropy regularizer of "Entropy-Guided Attention for Private LLMs", on
// the attention probabilities A_l [B, h, Lq, Lk] of every layer l and learnable per-head
// threshold weights w [h]:
//   E = -sum_j A_ij log(A_ij + 1e-9),  E_max = log Lk,  theta_h = w_h E_max,
//   kappa = tolerance E_max,  dev = E - theta_h,  pen = (dev 1[|dev| > kappa])^2
//   L = lam (1 / n_layers) sum_l (1 / h) sum_h sum_{b,i} pen
// zero inside the band [theta_h - kappa, theta_h + kappa], quadratic outside (against
// "entropic overload"). A scalar (the loss declares its own reduction); add it to the CE.
// Paper: "Entropy-Guided Attention for Private LLMs" (Jha & Reagen) (catalog: entropy.md,
// confidence 'official code': Nandan91/entropy-guided-attention-llm entropy_regularization.py,
// usage_example.py).
// Defaults: lam 1e-5, tolerance 0.2. E_max comes from the first layer's Lk (the reference's).
// Decision: one w [h] for every layer, as usage_example.py applies the first block's thresholds
// to all layers; every layer must have h heads.
// Gradient (autograd) through A and w (dpen/dw_h = -2 dev E_max outside the band);
// discontinuous at |dev| = kappa, where the indicator switches.
// Composite.
#include "losses/entropy/entropy.h"
#include "ops/composite.h"

#include <cmath>

namespace lathe {

Tensor entropy_band_reg(const std::vector<Tensor>& attn, const Tensor& w_heads,
                        const EntropyBandRegOptions& o) {
  const char* op = "entropy_band_reg";
  LATHE_CHECK(!attn.empty(), "[", op, "] needs the attention of at least one layer");
  check_floating(op, "w_heads", w_heads);
  check_dim(op, "w_heads", w_heads, 1);
  LATHE_CHECK(o.tolerance >= 0, "[", op, "] tolerance must be >= 0, got ", o.tolerance);
  int64_t h = w_heads.shape()[0];
  double e_max = 0;
  Tensor total;                                                           // []
  for (const Tensor& a : attn) {
    check_floating(op, "attn", a);
    LATHE_CHECK(a.dim() == 4 && a.shape()[1] == h, "[", op, "] attn must be [B, h = ", h,
                ", Lq, Lk], got ", a.shape());
    if (!total.defined()) e_max = std::log(static_cast<double>(a.shape()[3]));
    Tensor ent = -sum(a * log(a + 1e-9), {-1});                           // [B, h, Lq]
    Tensor dev = ent - reshape(w_heads, {1, h, 1}) * e_max;
    Tensor pen = where(gt(abs(dev), o.tolerance * e_max), dev, scalar_like(0.0, dev));
    Tensor layer = mean(sum(pen * pen, {0, 2}));                          // []
    total = total.defined() ? total + layer : layer;
  }
  return total * (o.lam / static_cast<double>(attn.size()));
}

LATHE_REGISTER_OPS(entropy_band_reg) {
  registry.add(OpDef("entropy_band_reg", "entropy")
                   .summary("quadratic penalty on attention entropies outside a learnable "
                            "per-head band")
                   .paper("Entropy-Guided Attention for Private LLMs")
                   .input("attn", Kind::floating, kVariadic)
                   .input("w_heads")
                   .options<EntropyBandRegOptions>()
                   .attr("lam", &EntropyBandRegOptions::lam, "regularization weight")
                   .attr("tolerance", &EntropyBandRegOptions::tolerance,
                         "band half-width as a fraction of log Lk")
                   .own_reduction("sum over batch and queries, mean over heads and layers")
                   .output("loss")
                   .run([](const OpCall& c) {
                     return Outputs{entropy_band_reg(c.ins("attn"), c.in("w_heads"),
                                                     c.options<EntropyBandRegOptions>())};
                   }));
}

}  // namespace lathe
