// lora_linear: a frozen linear layer plus a low-rank adapter (LoRA), with the rsLoRA scale and
// the DoRA magnitude/direction split
//   y = x W^T + b + s B A dropout(x)                          s = alpha / r (rsLoRA alpha/sqrt(r))
//   DoRA: y = (m / sg(||W + s B A||_row)) (x W^T + s B A dropout(x)) + b
// x [..., in], W [out, in], b [out], A [r, in], B [out, r], m [out]; r is A's row count.
// Papers: "MixLoRA: Enhancing Large Language Models Fine-Tuning with LoRA-based Mixture of
// Experts" (and DynMoLE; LaMo, "Unleashing the Power of Pre-trained Language Models for Offline
// Reinforcement Learning"), after LoRA (Hu et al. 2021), rsLoRA (Kalajdzievski 2023) and DoRA
// (Liu et al. 2024). Checked against the official code (TUDB-Labs/MixLoRA mixlora/lora_linear.py,
// LoraLinear, read this round): dropout on the adapter input only, scale alpha / r (alpha /
// sqrt(r) with use_rslora_), lora_A kaiming_uniform(a = sqrt(5)) or N(0, 1/r), lora_B zeros,
// the DoRA magnitude initialized to the row norms of W + s B A and divided by their detached
// value in every forward. NOTE: MixLoRA's residual is the base layer's output with its bias, so
// it scales the bias by m / ||.|| too; the catalog's oracle and peft's DoRA add the bias after
// the scale. We follow the catalog (the two agree without a bias). Defaults: alpha 16
// (MixLoRA's lora_alpha), p 0. W and b are frozen by the module (models/reparam.h); the op
// differentiates every input. A zero DoRA row norm is an error (m / 0 is not a number).
// Composite: autograd through linear/matmul; the DoRA norm is detached (a stop-gradient).
#include <cmath>

#include "ops/composite.h"
#include "ops/reparam/reparam.h"

namespace lathe {

Tensor lora_linear(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& lora_a,
                   const Tensor& lora_b, const Tensor& magnitude, const LoraOptions& o) {
  const char* op = "lora_linear";
  check_floating(op, "x", x);
  check_floating(op, "weight", weight);
  check_floating(op, "lora_a", lora_a);
  check_floating(op, "lora_b", lora_b);
  check_dim(op, "weight", weight, 2);
  check_dim(op, "lora_a", lora_a, 2);
  check_dim(op, "lora_b", lora_b, 2);
  LATHE_CHECK(x.dim() >= 1, "[", op, "] x must have at least 1 dim, got ", x.shape());
  int64_t out = weight.size(0), in = weight.size(1), r = lora_a.size(0);
  LATHE_CHECK(x.size(-1) == in, "[", op, "] x's last dim must be weight's in ", in, ", got ",
              x.shape());
  LATHE_CHECK(r >= 1 && lora_a.size(1) == in, "[", op, "] lora_a must be [r, ", in, "], got ",
              lora_a.shape());
  LATHE_CHECK(lora_b.size(0) == out && lora_b.size(1) == r, "[", op, "] lora_b must be [", out,
              ", ", r, "], got ", lora_b.shape());
  check_optional_shape(op, "bias", bias, {out});
  check_optional_shape(op, "magnitude", magnitude, {out});
  LATHE_CHECK(o.p >= 0.0 && o.p < 1.0, "[", op, "] p must be in [0, 1), got ", o.p);
  double s = o.alpha / (o.rs ? std::sqrt(static_cast<double>(r)) : static_cast<double>(r));

  Tensor xa = o.p > 0.0 ? dropout(x, o.p, o.training) : x;       // [..., in]
  Tensor adapter = s * linear(linear(xa, lora_a), lora_b);       // [..., out]
  if (!magnitude.defined()) return linear(x, weight, bias) + adapter;
  Tensor norm_row;                                               // [out], a constant
  {
    NoGradGuard no_grad;
    norm_row = norm(weight + s * matmul(lora_b, lora_a), 2.0, {1});
    LATHE_CHECK(min(norm_row).item() > 0.0, "[", op, "] DoRA: a row of W + s B A has norm 0 "
                "(the magnitude would be divided by 0)");
  }
  Tensor y = (magnitude / norm_row) * (linear(x, weight) + adapter);  // [..., out]
  return bias.defined() ? y + bias : y;
}

LATHE_REGISTER_OPS(lora_linear) {
  registry.add(OpDef("lora_linear", "reparam")
                   .summary("LoRA linear layer x W^T + b + s B A dropout(x) (rsLoRA scale, "
                            "DoRA magnitude)")
                   .paper("MixLoRA: Enhancing Large Language Models Fine-Tuning with LoRA-based "
                          "Mixture of Experts")
                   .input("x")
                   .input("weight")
                   .input("bias", Kind::floating, kOptional)
                   .input("lora_a")
                   .input("lora_b")
                   .input("magnitude", Kind::floating, kOptional)
                   .options<LoraOptions>()
                   .attr("alpha", &LoraOptions::alpha, "the scale is alpha / r, r = lora_a's rows")
                   .attr("rs", &LoraOptions::rs, "rsLoRA: scale alpha / sqrt(r)")
                   .attr("p", &LoraOptions::p, "dropout probability on the adapter's input")
                   .attr("training", &LoraOptions::training, "dropout acts only in training")
                   .custom_backward("DoRA only: the row norm of W + s B A is detached "
                                    "(peft's rule); plain LoRA has the forward's derivative")
                   .output("y")
                   .run([](const OpCall& c) {
                     return Outputs{lora_linear(c.in("x"), c.in("weight"), c.in("bias"),
                                                c.in("lora_a"), c.in("lora_b"),
                                                c.in("magnitude"), c.options<LoraOptions>())};
                   }));
}

}  // namespace lathe
