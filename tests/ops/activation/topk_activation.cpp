// Test cases for ops/activation/topk_activation.cpp (gradcheck, conformance, oracle). Normal
// inputs have no ties and no entry at relu's kink.
#include "tests/support/cases.h"

LATHE_CASES(topk_activation) {
  add(Case("topk_activation").normal("h", {4, 10}).attr("k", 3)
          .note("the catalog's example: H [4,10], k 3"));
  add(Case("topk_activation", "batched").normal("h", {2, 3, 6}).attr("k", 2)
          .note("leading dims [2,3]: per row of the last dim"));
  add(Case("topk_activation", "dense").normal("h", {3, 5}).attr("k", 5)
          .note("k = F: dense relu"));
  add(Case("topk_activation", "negative").in("h", {3, 4}, -2.0, -0.1).attr("k", 2)
          .note("all-negative rows: zeros, zero gradient"));
  add(Case("topk_activation", "ties").values("h", {2, 4}, {1, 1, 1, 0.5, 2, 0.5, 0.5, -1})
          .attr("k", 2).at_kink("ties at the k-th value")
          .no_oracle("torch.topk's choice among tied values is unspecified (torch 1.13 skips "
                     "the first of three equal entries here; lathe's stable topk keeps the "
                     "lowest indices)")
          .note("ties at the k-th value: k entries kept, the same values either way"));
}
