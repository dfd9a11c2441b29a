// masked_mae_loss: the traffic-forecasting masked MAE (DCRNN lineage) of predictions y^ against
// targets y of the same shape, where an exact 0 in y is a missing reading:
//   m = 1[y != 0],  m <- m / mean(m),  l = |y^ - y| m,  l <- 0 where l is NaN,
// reduced 'mean' over every element (default, the reference), 'sum' or 'none' (l itself).
// Paper: "How Different from the Past? Spatio-Temporal Time Series Forecasting with
// Self-Supervised Deviation Learning" (catalog: regression.md; official code
// Jimmy-7664/ST-SSDL model_STSSDL/utils.py masked_mae_loss, marked "DCRNN", applied to the
// inverse-transformed predictions).
// Defaults: reduction 'mean'.
// Only NaN is replaced (+-inf stays). Edge cases kept from the reference: all targets 0 gives
// mean(m) = 0, every weight 0/0 = NaN, every entry replaced: the value is 0 and the gradient NaN
// everywhere; a NaN target gives 0 at that entry. The target is data (a constant here: the mask
// makes the loss piecewise in y at 0). Gradient (autograd): sign(y^ - y) m / n.
// Composite.
#include "losses/regression/regression.h"
#include "ops/composite.h"

namespace lathe {

Tensor masked_mae_loss(const Tensor& input, const Tensor& target,
                       const MaskedMaeLossOptions& options) {
  const char* op = "masked_mae_loss";
  check_floating(op, "input", input);
  check_floating(op, "target", target);
  check_same_shape(op, "input", input, "target", target);
  Reduction r = parse_reduction(op, options.reduction);
  Tensor y = target.detach();
  Tensor m = cast(ne(y, 0.0), input.dtype());       // [...] 1 where a reading exists
  m = m / mean(m);                                   // [...] mean 1 (NaN when every y is 0)
  Tensor l = abs(input - y) * m;                     // [...]
  l = where(ne(l, l), 0.0, l);                       // [...] NaN -> 0, +-inf kept
  return apply_reduction(l, r);
}

LATHE_REGISTER_OPS(masked_mae_loss) {
  registry.add(OpDef("masked_mae_loss", "regression")
                   .summary("MAE over non-zero targets, re-weighted to mean 1, NaN entries 0")
                   .paper("How Different from the Past? Spatio-Temporal Time Series Forecasting "
                          "with Self-Supervised Deviation Learning")
                   .input("input")
                   .input("target", Kind::floating, kNoGrad)
                   .options<MaskedMaeLossOptions>()
                   .attr("reduction", &MaskedMaeLossOptions::reduction,
                         "none | mean (the reference) | sum, over every element")
                   .output("loss")
                   .run(masked_mae_loss));
}

}  // namespace lathe
