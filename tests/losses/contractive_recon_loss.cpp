// Test cases for losses/regularizer/contractive_recon_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(contractive_recon_loss) {
  add(Case("contractive_recon_loss").normal("x", {5, 4}).normal("w_enc", {3, 4})
          .normal("b_enc", {3}).normal("w_dec", {4, 3}).normal("b_dec", {4})
          .note("x [5,4], 3 sigmoid hidden units, sigma^2 0.01"));
  add(Case("contractive_recon_loss", "tanh").normal("x", {3, 2}).normal("w_enc", {4, 2})
          .normal("b_enc", {4}).normal("w_dec", {2, 4}).normal("b_dec", {2})
          .attr("activation", "tanh").attr("sigma2", 0.5)
          .note("tanh hidden layer of 4, sigma^2 0.5"));
}
