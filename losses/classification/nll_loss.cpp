// nll_loss: l_n = -w_{y_n} x_{n, y_n} for log-probabilities x [N, C] (or [N, C, d1, ...], class
// dim 1, or an unbatched [C]) and class indices y [N] ([N, d1, ...], or []), PyTorch's
// F.nll_loss. Class weights w [C] (1 when absent); targets equal to ignore_index give 0.
// Reduction 'mean' (default): sum_n l_n / sum_n w_{y_n} over kept targets; 'sum'; 'none' keeps
// the target's shape.
// Source: torch.nn.functional.nll_loss (PyTorch 1.13), not in the catalog (issue 17 parity).
// Defaults: no weight, ignore_index -100, reduction 'mean'.
// NOTE: every target ignored under 'mean' gives a finite 0 with zero gradients (the loss
// contract, losses/README.md); PyTorch gives NaN (0 / 0).
// Gradient (autograd): -w_y at (n, y_n), 0 elsewhere; weights are constants. Composite: the
// picked log-probability is a gather along the class dim, so no [N, C] one-hot is built.
#include "losses/classification/parity.h"
#include "ops/composite.h"

namespace lathe {

Tensor nll_loss(const Tensor& input, const Tensor& target, const NllLossOptions& o) {
  const char* op = "nll_loss";
  check_floating(op, "input", input);
  LATHE_CHECK(input.dim() >= 1, "[", op, "] input must be [C], [N, C] or [N, C, d1, ...], got ",
              input.shape());
  Reduction reduction = parse_reduction(op, o.reduction);
  bool unbatched = input.dim() == 1;
  Tensor x = unbatched ? unsqueeze(input, 0) : input;                    // [N, C, ...]
  Tensor t = unbatched && target.defined() ? unsqueeze(target, 0) : target;
  int64_t c = x.shape()[1];
  Shape expected = x.shape();
  expected.erase(1);
  Tensor y = class_indices(op, "target", t, c, o.ignore_index);          // [N, ...] i64
  LATHE_CHECK(y.shape() == expected, "[", op, "] target must have shape ",
              unbatched ? Shape{} : expected, " for input ", input.shape(), ", got ",
              target.shape());
  check_optional_shape(op, "weight", o.weight, Shape{c});
  Tensor keep = ne(y, static_cast<double>(o.ignore_index));              // [N, ...] bool
  Tensor y_safe = where(keep, y, scalar_like(0, y));
  Tensor w_y = cast(keep, x.dtype());                                    // [N, ...]
  if (o.weight.defined())
    w_y = reshape(gather(o.weight.detach(), reshape(y_safe, {-1}), 0), y.shape()) * w_y;
  Tensor picked = squeeze(gather(x, unsqueeze(y_safe, 1), 1), {1});     // [N, ...]
  Tensor loss = -picked * w_y;
  if (reduction == Reduction::none) return unbatched ? squeeze(loss, {0}) : loss;
  if (reduction == Reduction::sum) return sum(loss);
  Tensor total = sum(w_y);
  return sum(loss) / where(eq(total, 0.0), scalar_like(1.0, total), total);
}

LATHE_REGISTER_OPS(nll_loss) {
  registry.add(OpDef("nll_loss", "classification")
                   .summary("negative log-likelihood of log-probabilities at class indices "
                            "(F.nll_loss)")
                   .paper("torch.nn.functional.nll_loss (PyTorch parity)")
                   .input("input")
                   .input("target", Kind::integer)
                   .options<NllLossOptions>()
                   .input("weight", &NllLossOptions::weight, Kind::floating, kOptional | kNoGrad)
                   .attr("ignore_index", &NllLossOptions::ignore_index,
                         "targets equal to it contribute nothing")
                   .attr("reduction", &NllLossOptions::reduction,
                         "none | mean (weighted, over kept targets) | sum")
                   .output("loss")
                   .run(nll_loss));
}

}  // namespace lathe
