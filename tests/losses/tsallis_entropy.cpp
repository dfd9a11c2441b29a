// Test cases for losses/entropy/tsallis_entropy.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(tsallis_entropy) {
  add(Case("tsallis_entropy").probs("probs", {5, 4})
          .note("router probabilities [5 tokens, 4 experts], q 1.1, normalized"));
  add(Case("tsallis_entropy", "shannon").probs("probs", {2, 3, 6}).attr("q", 1.0)
          .note("q = 1: the Shannon branch / log E"));
  add(Case("tsallis_entropy", "q2_raw").probs("probs", {4, 3}).attr("q", 2.0)
          .attr("normalize", false).attr("eps", 0.0)
          .note("q = 2 unnormalized, eps 0: 1 - sum p^2"));
}
