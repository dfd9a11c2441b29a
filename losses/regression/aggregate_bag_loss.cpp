// aggregate_bag_loss: the bag-level loss of learning from aggregate responses. Predictions f
// [n], the bag of each instance a(i) (bag_ids [n], integers), the aggregate response of each
// bag y_a (bag_y [B], the mean of its hidden labels):
//   f_a = mean_{i in a} f_i (a segment mean),    l_a = (y_a - f_a)^2,
// reduced 'mean' over the bags (default, Eq. 1), 'sum' or 'none' ([B]).
// Paper: "Learning from Aggregate responses: Instance Level versus Bag Level Loss Functions"
// (Javanmard et al., ICLR 2024). Catalog: regression.md, confidence 'paper text'.
// Checked (search of stored pages): no official code was found; the abstract defines the
// bag-level loss as the loss between the aggregate response and the aggregate of the
// predictions, and the instance-level loss as each instance against its bag's response, with
// the instance loss a regularized bag loss; the squared forms follow the catalog and the
// identity L_inst = L_bag + mean_a Var_a(f) for equal bags is checked by a test.
// Defaults: reduction 'mean'.
// Gradient (autograd): dL/df_i = -2 (y_a - f_a) / (|a| B). bag_y is data (a constant).
// An empty bag (an id with no instance) is an error naming the op.
// Composite.
#include "losses/regression/bags.h"
#include "losses/regression/regression.h"

namespace lathe {

Tensor aggregate_bag_loss(const Tensor& pred, const Tensor& bag_ids, const Tensor& bag_y,
                          const AggregateBagLossOptions& options) {
  const char* op = "aggregate_bag_loss";
  Reduction r = parse_reduction(op, options.reduction);
  Tensor fbar = bag_means(op, pred, bag_ids, bag_y);   // [B]
  Tensor d = bag_y.detach() - fbar;                    // [B]
  return apply_reduction(d * d, r);
}

LATHE_REGISTER_OPS(aggregate_bag_loss) {
  registry.add(OpDef("aggregate_bag_loss", "regression")
                   .summary("bag-level squared loss (y_a - mean_{i in a} f_i)^2")
                   .paper("Learning from Aggregate responses: Instance Level versus Bag Level "
                          "Loss Functions")
                   .input("pred")
                   .input("bag_ids", Kind::integer)
                   .input("bag_y", Kind::floating, kNoGrad)
                   .options<AggregateBagLossOptions>()
                   .attr("reduction", &AggregateBagLossOptions::reduction,
                         "none | mean | sum, over the bags")
                   .output("loss")
                   .run(aggregate_bag_loss));
}

}  // namespace lathe
