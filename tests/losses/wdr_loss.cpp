// Test cases for losses/regularizer/wdr_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(wdr_loss) {
  add(Case("wdr_loss").normal("weights", {4, 8}).in("weights", {2, 4}, 0.0, 1.0)
          .note("two layers [4,8] and [2,4] (the first layer already left out)"));
  add(Case("wdr_loss", "rates").normal("weights", {3, 2, 2}).in("weights", {5, 3})
          .in("weights", {6}, -1.0, 2.0).attr("kurt_rate", 0.5).attr("skew_rate", 0.2)
          .note("three tensors, rates 0.5 and 0.2"));
}
