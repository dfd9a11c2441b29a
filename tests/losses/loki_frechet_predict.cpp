// Test cases for losses/other/loki_frechet_predict.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(loki_frechet_predict) {
  add(Case("loki_frechet_predict").probs("probs", {4, 3}).in("sq_dist", {5, 3}, 0.0, 4.0)
          .note("4 examples, 3 training labels, 5 candidate labels"));
  add(Case("loki_frechet_predict", "ties")
          .values("probs", {2, 3}, {1, 0, 0, 0.25, 0.5, 0.25})
          .values("sq_dist", {3, 3}, {1, 2, 1, 1, 2, 1, 0, 4, 0})
          .note("a one-hot row; rows 0 and 1 of sq_dist tie: the first index wins"));
}
