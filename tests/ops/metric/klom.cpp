// Test cases for ops/metric/klom.cpp: klom (conformance, oracle; a histogram, not
// differentiable) and klom_margins (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(klom) {
  add(Case("klom").normal("margins_unlearned", {8, 5}).in("margins_oracle", {8, 5}, -1.5, 2.5)
          .note("8 models per side, 5 examples, 20 bins"));
  add(Case("klom", "constant").values("margins_unlearned", {3, 2}, {0.7, 1, 0.7, 1, 0.7, 1})
          .values("margins_oracle", {2, 2}, {0.7, 1, 0.7, 1})
          .note("identical constant samples: one bin after the edge fix, KLoM 0"));
  add(Case("klom", "top_edge").values("margins_unlearned", {3, 1}, {2, 2, 2})
          .values("margins_oracle", {3, 1}, {0, 1, 2})
          .note("every unlearned margin on the top edge: an empty histogram gives 0"));
  add(Case("klom", "clip_bins").values("margins_unlearned", {2, 2}, {-300, 1, 5, 2})
          .values("margins_oracle", {1, 2}, {150, 1.5}).attr("bins", 4).attr("clip", 100.0)
          .attr("eps", 1e-3).note("clipped margins, 4 bins, eps 1e-3, a single oracle model"));
  add(Case("klom_margins").normal("logits", {3, 4, 5}).index("labels", {4}, 5)
          .note("3 models, 4 examples, 5 classes"));
  add(Case("klom_margins", "two_classes").normal("logits", {2, 3, 2}).index("labels", {3}, 2)
          .note("C = 2: the margin is f_y - f_other"));
}
