// Test cases for losses/other/itta_consistency_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(itta_consistency_loss) {
  add(Case("itta_consistency_loss").normal("z_o", {4, 3}).normal("z_a", {4, 3})
          .in("weight", {3, 3}, 0.5, 1.5).normal("bias", {3, 3}, 0.5)
          .note("f_w with 3 layers (relu between), D 3"));
  add(Case("itta_consistency_loss", "one_layer").normal("z_o", {5, 2}).normal("z_a", {5, 2})
          .normal("weight", {1, 2}).normal("bias", {1, 2}).attr("reduction", "sum")
          .note("a single affine layer (no relu), reduction sum"));
  add(Case("itta_consistency_loss", "same_features")
          .values("z_o", {2, 3}, {0.5, -1.0, 2.0, 0.25, 0.0, -0.5})
          .values("z_a", {2, 3}, {0.5, -1.0, 2.0, 0.25, 0.0, -0.5})
          .in("weight", {2, 3}, 0.5, 1.5).values("bias", {2, 3}, {0.3, -0.4, 0.5, 0.2, 0.1, -0.3})
          .attr("reduction", "none").note("z_a = z_o: f_w sees zeros, only the biases act"));
}
