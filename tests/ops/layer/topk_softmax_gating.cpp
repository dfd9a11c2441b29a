// Test cases for ops/layer/topk_softmax_gating.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(topk_softmax_gating) {
  add(Case("topk_softmax_gating").distinct("h", {4, 6}).note("K 2 of 6 experts, no ties"));
  add(Case("topk_softmax_gating", "k_equals_e").distinct("h", {3, 5}).attr("k", 5)
          .note("K = E: a plain softmax"));
  add(Case("topk_softmax_gating", "k1").distinct("h", {3, 4}).attr("k", 1)
          .note("K = 1: weight 1 on the argmax, zero gradient"));
  add(Case("topk_softmax_gating", "batched").distinct("h", {2, 3, 8}).attr("k", 3)
          .note("leading dims [2, 3], K 3 of 8"));
  add(Case("topk_softmax_gating", "extreme")
          .values("h", {2, 4}, {80.0, -80.0, 79.5, 0.0, -1e3, -1e3 + 1, -1e3 + 2, -1e3 + 3})
          .attr("k", 2).note("large logits: softmax over the kept ones stays finite"));
}
