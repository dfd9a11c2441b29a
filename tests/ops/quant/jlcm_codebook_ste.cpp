// Test cases for ops/quant/jlcm_codebook_ste.cpp (conformance, oracle against a detach-based
// reference: straight-through for the weights, exact for the codebook).
#include "tests/support/cases.h"

LATHE_CASES(jlcm_codebook_ste) {
  const char* why = "custom backward (straight-through for w): checked against the reference";
  add(Case("jlcm_codebook_ste").normal("w", {3, 4}).values("codebook", {4}, {-1.0, -0.3, 0.3,
                                                                             1.0})
          .no_gradcheck(why).note("4 codewords, weights of scale 1"));
  add(Case("jlcm_codebook_ste", "unused").values("w", {5}, {0.1, 0.2, 0.15, 0.9, 0.05})
          .values("codebook", {3}, {0.0, 1.0, -5.0}).no_gradcheck(why)
          .note("codeword -5 is never used: its gradient is 0"));
  add(Case("jlcm_codebook_ste", "tie").values("w", {2, 2}, {0.5, -0.5, 0.2, 0.8})
          .values("codebook", {2}, {0.0, 1.0}).no_gradcheck(why)
          .note("w = 0.5 is a tie: the first codeword (0) wins, as torch.argmin"));
}
