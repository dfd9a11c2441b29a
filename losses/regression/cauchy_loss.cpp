// cauchy_loss: the Cauchy (Lorentzian) loss of latent consistency training, per sample b
//   l_b = log(1 + ||x_b - y_b||_2^2 / (2 c^2)),    the norm over every non-batch dim,
// reduced 'mean' over the batch (default), 'sum' or 'none' ([B]).
// Paper: "Improved Training Technique for Latent Consistency Models" (sLCT; Dao et al. 2025),
// which replaces iCT's Pseudo-Huber loss (pseudo_huber_loss) with it. Catalog: regression.md,
// confidence 'memory'.
// Defaults: c required (sLCT schedules it: the adaptive scaling-c schedule is a procedure, the
// caller's); reduction 'mean'.
// Checked (search of stored pages): the sLCT repository holds only a README; the paper's
// abstract (stored arXiv 2502.01441 HTML) says Cauchy losses replace the Pseudo-Huber losses
// of iCT, so the same per-sample norm is kept. The 1/(2 c^2) scaling is Barron's alpha = 0
// member log(0.5 (x/c)^2 + 1) ("A General and Adaptive Robust Loss Function", read in a stored
// copy), which sLCT cites for its robust losses; the paper body's exact form could not be read.
// Gradient (autograd): (x - y) / (c^2 + ||x - y||^2 / 2): bounded influence of outliers.
// Composite.
#include "losses/regression/regression.h"
#include "ops/composite.h"

#include <cmath>

namespace lathe {

Tensor cauchy_loss(const Tensor& input, const Tensor& target, const CauchyLossOptions& options) {
  const char* op = "cauchy_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  LATHE_CHECK(input.dim() >= 1 && input.numel() > 0, "[", op,
              "] input must be [B, ...] with B >= 1, got ", input.shape());
  Reduction r = parse_reduction(op, options.reduction);
  LATHE_CHECK(!std::isnan(options.c), "[", op, "] c is required (the scale, > 0)");
  LATHE_CHECK(options.c > 0 && std::isfinite(options.c), "[", op, "] c must be > 0, got ",
              options.c);
  int64_t batch = input.shape()[0];
  Tensor diff = reshape(input - target, {batch, input.numel() / batch});  // [B, d]
  Tensor sq = sum(diff * diff, {1});                                       // [B]
  Tensor loss = log(1.0 + sq / (2.0 * options.c * options.c));            // [B]
  return apply_reduction(loss, r);
}

LATHE_REGISTER_OPS(cauchy_loss) {
  registry.add(OpDef("cauchy_loss", "regression")
                   .summary("per-sample Cauchy loss log(1 + ||x - y||^2 / (2 c^2))")
                   .paper("Improved Training Technique for Latent Consistency Models")
                   .input("input")
                   .input("target")
                   .options<CauchyLossOptions>()
                   .attr("c", &CauchyLossOptions::c, "scale, > 0 (required)")
                   .attr("reduction", &CauchyLossOptions::reduction,
                         "none | mean | sum, over the batch")
                   .output("loss")
                   .run(cauchy_loss));
}

}  // namespace lathe
