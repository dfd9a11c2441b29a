// Test cases for losses/robust/aldr_kl_loss.cpp (conformance, oracle: the loss and the new
// buffer; its defined backward, lambda detached, is checked against PyTorch's autograd).
#include "tests/support/cases.h"

LATHE_CASES(aldr_kl_loss) {
  using lathe::DType;
  const char* why = "the adapted temperature lambda_i is detached: a defined backward";
  add(Case("aldr_kl_loss").normal("input", {6, 5}).index("target", {6}, 5)
          .values("index", {6}, {3, 7, 9, 11, 15, 19}, DType::i64)
          .values("lam_state", {20, 1}, std::vector<double>(20, 1.0)).no_gradcheck(why)
          .note("the catalog's example: a fresh buffer at lambda_0 = 1, class defaults"));
  add(Case("aldr_kl_loss", "demo").normal("input", {4, 3}, 2.0).index("target", {4}, 3)
          .values("index", {4}, {0, 5, 2, 7}, DType::i64).in("lam_state", {8, 1}, 5.0, 12.0)
          .attr("margin", 0.1).attr("lam_ref", 10.0).attr("softplus", true)
          .attr("reduction", "sum").no_gradcheck(why)
          .note("the demo script's alpha 2, lambda_0 10, margin 0.1, softplus, reduction sum"));
  add(Case("aldr_kl_loss", "repeat_none").normal("input", {3, 4}).index("target", {3}, 4)
          .values("index", {3}, {1, 1, 0}, DType::i64).in("lam_state", {2, 1}, 0.8, 1.2)
          .attr("reduction", "none").no_gradcheck(why)
          .note("a repeated index: the last write wins, reduction none"));
}
