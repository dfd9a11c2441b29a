// Test cases for ops/select/soft_topk.cpp (gradcheck, conformance, oracle). n_iter 64 solves t
// to machine precision, so finite differences see the implicit gradient.
#include "tests/support/cases.h"

LATHE_CASES(soft_topk) {
  const char* why = "the implicit gradient holds v constant: its derivative is not second order";
  add(Case("soft_topk").normal("x", {3, 8}, 5.0).attr("k", 3.0).attr("n_iter", 64)
          .first_order_only(why).note("the catalog's example: scale 5, k 3, n_iter 64"));
  add(Case("soft_topk", "log").normal("x", {2, 6}, 2.0).attr("k", 2.5).attr("n_iter", 64)
          .attr("log", true).first_order_only(why).note("log output, fractional k 2.5"));
  add(Case("soft_topk", "default_iter").normal("x", {2, 7}).attr("alpha", 1.0)
          .no_gradcheck("n_iter 32 leaves t 1e-9 from the root: a staircase for differences")
          .note("the defaults n_iter 32, k 5, alpha 1"));
}
