// set_order_loss: the loss of a sequence model trained on sets, searching over orderings. The
// sequence negative log-likelihoods nll [B, P] of P candidate orderings of each example's set
// (sampled, greedy or all permutations: how they are produced is the caller's):
//   L_b = min_pi nll[b, pi],
// reduced 'mean' over the examples (default), 'sum' or 'none' ([B]).
// Paper: "Order Matters: Sequence to sequence for sets" (Vinyals, Bengio, Kudlur, ICLR 2016;
// catalog: lm.md, paper text).
// Checked (this round): the paper's abstract (arXiv 1511.06391, read through arxiv-vanity)
// confirms "a loss which, by searching over possible orders during training, deals with the
// lack of structure of output sets"; its method section was not readable here and no code by
// the authors was found, so the form min over candidates of the NLL is the catalog's reading
// (unverified: how the candidates are produced). The op takes the candidates' NLLs as given.
// Gradient (autograd): 1 at the arg-min ordering of each row, 0 elsewhere; on ties lathe's min
// splits it evenly between the tied orderings (a subgradient).
// Composite.
#include "losses/lm/lm_more.h"
#include "ops/composite.h"

namespace lathe {

Tensor set_order_loss(const Tensor& nll, const SetOrderLossOptions& o) {
  const char* op = "set_order_loss";
  check_floating(op, "nll", nll);
  check_dim(op, "nll", nll, 2);
  Reduction r = parse_reduction(op, o.reduction);
  LATHE_CHECK(nll.size(1) >= 1, "[", op, "] nll needs at least one ordering per example, got ",
              nll.shape());
  return apply_reduction(min(nll, {1}), r);                            // [B] -> reduced
}

LATHE_REGISTER_OPS(set_order_loss) {
  registry.add(OpDef("set_order_loss", "lm")
                   .summary("the smallest sequence NLL over candidate orderings of a set")
                   .paper("Order Matters: Sequence to sequence for sets")
                   .input("nll")
                   .options<SetOrderLossOptions>()
                   .attr("reduction", &SetOrderLossOptions::reduction,
                         "none ([B]) | mean | sum, over the examples")
                   .output("loss")
                   .run(set_order_loss));
}

}  // namespace lathe
