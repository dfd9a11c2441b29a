// Test cases for losses/segmentation/topoloss.cpp (gradcheck, conformance, oracle).
#include "losses/segmentation/topology.h"
#include "tests/support/cases.h"

LATHE_CASES(topoloss) {
  add(Case("topoloss").normal("input", {1, 2, 4, 4}).index("target", {1, 4, 4}, 2)
          .values("w_cp", {1, 4, 4}, {0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0})
          .values("r_cp", {1, 4, 4}, {0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0})
          .note("four critical pixels, two pushed to 1 and two to 0, lam 100"));
  add(Case("topoloss", "none_critical").normal("input", {2, 2, 2, 3})
          .index("target", {2, 2, 3}, 2).values("w_cp", {2, 2, 3}, std::vector<double>(12, 0.0))
          .values("r_cp", {2, 2, 3}, std::vector<double>(12, 0.0)).attr("lam", 10.0)
          .note("no critical point: the MSE of zeros, CE only"));
  // without GUDHI the op needs its maps from the caller: this case is left out
  if (lathe::seg::have_gudhi())
    add(Case("topoloss", "host_maps").normal("input", {1, 2, 6, 5}, 2.0)
            .values("target", {1, 6, 5}, {1, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1,
                                          0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0}, DType::i64)
            .attr("topo_size", 4)
            .no_oracle("the maps come from GUDHI's persistence on the host, which the PyTorch "
                       "oracle lacks; segmentation_test checks them against python3-gudhi")
            .note("maps computed on the host: 4x4 patches of a 6x5 image (grid not dividing)"));
}
