// Test cases for ops/activation/crrelu.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(crrelu) {
  add(Case("crrelu").away("x", {4, 5}).values("eps", {}, {0.01})
          .note("the catalog's example: x [4,5] away from the relu kink, eps 0.01 (module init)"));
  add(Case("crrelu", "large_eps").away("x", {2, 3, 4}, 0.1, 4.0).in("eps", {}, 0.5, 1.5)
          .note("eps in [0.5, 1.5], |x| up to 4 (the Gaussian term fades)"));
  add(Case("crrelu", "eps_shape1").away("x", {6}).in("eps", {1}, -1.0, 1.0)
          .note("eps given as [1], negative allowed"));
  add(Case("crrelu", "zero_eps").values("x", {5}, {-30.0, -1.0, 0.0, 1.0, 30.0})
          .values("eps", {}, {0.0})
          .at_kink("x = 0 is relu's kink: the subgradient 0 is compared with PyTorch's")
          .note("eps 0 is plain relu; |x| = 30 underflows exp(-x^2/2) to 0"));
}
