// Test cases for ops/reparam/mip_hypernet.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(mip_hypernet) {
  add(Case("mip_hypernet").in("z", {3, 2}, 0.0, 1.0).normal("w_hidden", {6, 4})
          .normal("w_out", {8, 6}).normal("theta0", {8})
          .note("the catalog's example shrunk to 64-element tensors: k 2, H 6, P 8, no hidden "
                "bias"));
  add(Case("mip_hypernet", "bias_zpair").in("z", {4, 1}, 0.0, 1.0).normal("w_hidden", {5, 2})
          .normal("b_hidden", {5}).normal("w_out", {6, 5}).normal("theta0", {6})
          .attr("encoding", "z|1-z").attr("negative_slope", 0.2)
          .note("the z|1-z encoding, a hidden bias, slope 0.2"));
  add(Case("mip_hypernet", "ends").values("z", {2, 2}, {0.0, 1.0, 1.0, 0.0})
          .normal("w_hidden", {4, 4}).normal("b_hidden", {4}).normal("w_out", {3, 4})
          .normal("theta0", {3}).note("z at the encoding's ends 0 and 1"));
}
