// Test cases for ops/metric/diffusion_spectral_entropy.cpp (gradcheck, conformance, oracle).
// Random points keep the kernel's eigenvalues distinct and away from 0 (|lambda|'s kink).
#include "tests/support/cases.h"

LATHE_CASES(diffusion_spectral_entropy) {
  add(Case("diffusion_spectral_entropy").normal("x", {6, 3}, 10.0)
          .note("the API's defaults (sigma 10, t 1, machine eps, top eigenvalue dropped) on "
                "points of scale 10"));
  add(Case("diffusion_spectral_entropy", "loss_variant").normal("x", {7, 2})
          .attr("sigma", 1.0).attr("drop_trivial", false).attr("eps", 1e-6)
          .note("DSE_Loss: every eigenvalue kept, eps 1e-6; sigma 1"));
  add(Case("diffusion_spectral_entropy", "t2").normal("x", {5, 4}).attr("sigma", 2.0)
          .attr("t", 2).note("diffusion time t 2"));
  add(Case("diffusion_spectral_entropy", "two_points").normal("x", {2, 3}).attr("sigma", 1.5)
          .note("N = 2: one eigenvalue left after the trivial one"));
}
