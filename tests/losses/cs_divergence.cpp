// Test cases for losses/divergence/cs_divergence.cpp, cs_divergence_conditional.cpp and
// cs_qmi.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(cs_divergence) {
  add(Case("cs_divergence").normal("x", {6, 2}).in("y", {5, 2}, -1.5, 2.5)
          .note("sets of 6 and 5 points in 2-D (unequal sizes), sigma 1"));
  add(Case("cs_divergence", "sigma").normal("x", {4, 3}).normal("y", {4, 3}, 1.5)
          .attr("sigma", 2.0).note("equal sizes in 3-D, sigma 2"));
  add(Case("cs_divergence_conditional").normal("x", {8, 3}).normal("target", {8, 1})
          .normal("input", {8, 1}).note("x [8,3], y and yhat [8,1], sigma 1"));
  add(Case("cs_divergence_conditional", "images").normal("x", {6, 2, 2})
          .normal("target", {6, 1}).normal("input", {6, 1}, 0.5).attr("sigma", 0.7)
          .note("x [6,2,2] flattened per row, sigma 0.7"));
  add(Case("cs_qmi").normal("x", {8, 3}).normal("z", {8, 2})
          .note("x [8,3], z [8,2], sigma 1"));
  add(Case("cs_qmi", "normalized").normal("x", {7, 2}).normal("z", {7, 2, 1}).attr("normalized",
          true).attr("sigma", 1.5).note("normalized by sqrt(I(x,x) I(z,z)), z [7,2,1]"));
  add(Case("cs_ib_loss").normal("x", {8, 3}).normal("target", {8, 1}).normal("input", {8, 1})
          .normal("z", {8, 2}).note("x [8,3], y and yhat [8,1], z [8,2], beta 0.01"));
  add(Case("cs_ib_loss", "beta").normal("x", {6, 2}).normal("target", {6, 1})
          .normal("input", {6, 1}, 0.5).normal("z", {6, 3}).attr("beta", 0.5)
          .attr("sigma", 1.2).note("beta 0.5, sigma 1.2"));
}
