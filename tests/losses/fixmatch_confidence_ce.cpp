// Test cases for losses/classification/fixmatch_confidence_ce.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(fixmatch_confidence_ce) {
  using lathe::DType;
  const std::vector<double> ignore = {0, 255, 0, 0, 255, 0, 0, 0, 0, 0, 255, 0};
  for (const char* mode : {"pixelwise", "pixelratio", "pixelavg"})
    add(Case("fixmatch_confidence_ce", mode).normal("input", {2, 3, 2, 3})
            .normal("weak", {2, 3, 2, 3}, 3.0).values("ignore", {2, 2, 3}, ignore, DType::i64)
            .attr("tau", 0.6).attr("mode", mode)
            .note(std::string("the catalog's example shapes, tau 0.6, mode ") + mode));
  add(Case("fixmatch_confidence_ce", "default_tau").normal("input", {1, 2, 2, 2})
          .normal("weak", {1, 2, 2, 2}, 5.0).values("ignore", {1, 2, 2}, {0, 0, 0, 0}, DType::i64)
          .note("tau 0.95: a few confident pixels, nothing ignored"));
}
