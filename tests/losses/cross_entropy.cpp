// Test cases for losses/classification/cross_entropy.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(cross_entropy) {
  using lathe::DType;
  add(Case("cross_entropy").in("input", {5, 4}).index("target", {5}, 4)
          .note("logits [5,4], class indices"));
  add(Case("cross_entropy", "weight_smoothing").in("input", {5, 4}).index("target", {5}, 4)
          .in("weight", {4}, 0.5, 2.0).attr("label_smoothing", 0.1)
          .note("class weights and label smoothing 0.1"));
  add(Case("cross_entropy", "ignore_sum")
          .in("input", {5, 4})
          .values("target", {5}, {0, -100, 3, 1, -100}, DType::i64)
          .in("weight", {4}, 0.5, 2.0)
          .attr("label_smoothing", 0.2)
          .attr("reduction", "sum")
          .note("ignored rows with weights and smoothing 0.2, reduction sum"));
  add(Case("cross_entropy", "ignore_weight_smoothing")
          .normal("input", {6, 5})
          .values("target", {6}, {0, -100, 3, 4, -100, 2}, DType::i64)
          .in("weight", {5}, 0.5, 2.0)
          .attr("label_smoothing", 0.2)
          .oracle_only("ignore_sum gradchecks the same path")
          .note("ignored rows with weights and smoothing 0.2 under mean"));
  add(Case("cross_entropy", "ignore_255_sum")
          .normal("input", {4, 3})
          .values("target", {4}, {2, 255, 0, 1}, DType::i64)
          .attr("ignore_index", 255)
          .attr("reduction", "sum")
          .oracle_only("ignore_sum gradchecks the same path")
          .note("ignore_index 255, reduction sum"));
  add(Case("cross_entropy", "soft_targets").normal("input", {4, 3}).probs("target", {4, 3})
          .in("weight", {3}, 0.5, 2.0).attr("label_smoothing", 0.1)
          .note("probability targets with smoothing 0.1 and weights"));
  add(Case("cross_entropy", "dense_none").in("input", {2, 3, 2, 2}).index("target", {2, 2, 2}, 3)
          .attr("reduction", "none")
          .note("logits [2,3,2,2], targets [2,2,2], reduction none"));
  add(Case("cross_entropy", "extreme")
          .values("input", {2, 3}, {1e4, 0.0, -1e4, -1e4, 1e4 - 1, 1e4})
          .values("target", {2}, {1, 2}, DType::i64)
          .oracle_only("saturated softmax: the values are the point, not the derivative")
          .note("logits of +-1e4: finite, no overflow"));
  add(Case("cross_entropy", "c1").normal("input", {3, 1}).values("target", {3}, {0, 0, 0},
                                                                 DType::i64)
          .oracle_only("a single class: loss and gradient are 0")
          .note("a single class: loss 0"));
  add(Case("cross_entropy", "exclusive").normal("input", {5, 4})
          .values("target", {5}, {0, 3, -100, 2, 1}, DType::i64)
          .attr("label_smoothing", 0.1).attr("smoothing", "exclusive")
          .note("fairseq's exclusive smoothing with an ignored row"));
}
