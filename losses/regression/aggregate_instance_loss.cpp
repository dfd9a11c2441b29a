// aggregate_instance_loss: the instance-level loss of learning from aggregate responses: each
// instance's prediction against its bag's aggregate response,
//   l_i = (y_{a(i)} - f_i)^2,
// reduced 'mean' over the instances (default, Eq. 2), 'sum' or 'none' ([n]). For bags of equal
// size it equals aggregate_bag_loss plus the mean within-bag variance of the predictions.
// Paper: "Learning from Aggregate responses: Instance Level versus Bag Level Loss Functions"
// (Javanmard et al., ICLR 2024). Catalog: regression.md, confidence 'paper text' (checked as
// told in aggregate_bag_loss.cpp).
// Defaults: reduction 'mean'.
// Gradient (autograd): -2 (y_a - f_i) / n. bag_y is data (a constant).
// Composite.
#include "losses/regression/bags.h"
#include "losses/regression/regression.h"

namespace lathe {

Tensor aggregate_instance_loss(const Tensor& pred, const Tensor& bag_ids, const Tensor& bag_y,
                               const AggregateInstanceLossOptions& options) {
  const char* op = "aggregate_instance_loss";
  Reduction r = parse_reduction(op, options.reduction);
  bag_means(op, pred, bag_ids, bag_y);   // the checks (bag means unused here)
  Tensor d = index_select(bag_y.detach(), bag_ids.to(DType::i64), 0) - pred;   // [n]
  return apply_reduction(d * d, r);
}

LATHE_REGISTER_OPS(aggregate_instance_loss) {
  registry.add(OpDef("aggregate_instance_loss", "regression")
                   .summary("instance-level squared loss (y_{a(i)} - f_i)^2")
                   .paper("Learning from Aggregate responses: Instance Level versus Bag Level "
                          "Loss Functions")
                   .input("pred")
                   .input("bag_ids", Kind::integer)
                   .input("bag_y", Kind::floating, kNoGrad)
                   .options<AggregateInstanceLossOptions>()
                   .attr("reduction", &AggregateInstanceLossOptions::reduction,
                         "none | mean | sum, over the instances")
                   .output("loss")
                   .run(aggregate_instance_loss));
}

}  // namespace lathe
