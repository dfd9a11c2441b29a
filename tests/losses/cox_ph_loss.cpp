// Test cases for losses/regression/cox_ph_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(cox_ph_loss) {
  using lathe::DType;
  const std::vector<double> t = {5, 3, 3, 8, 1, 3, 6, 2};
  const std::vector<double> e = {1, 1, 0, 1, 1, 1, 0, 0};
  add(Case("cox_ph_loss").normal("risk", {8}).values("time", {8}, t)
          .values("event", {8}, e, DType::i64)
          .note("the catalog's example: three tied times, unsorted, normalized by n"));
  add(Case("cox_ph_loss", "events").normal("risk", {8}).values("time", {8}, t)
          .values("event", {8}, e, DType::i64).attr("reduction", "events")
          .note("the DeepSurv form: / number of events"));
  add(Case("cox_ph_loss", "sum_float_events").normal("risk", {5}, 2.0)
          .values("time", {5}, {1.5, 0.5, 2.5, 4.0, 3.0}).values("event", {5}, {0, 1, 1, 0, 1})
          .attr("reduction", "sum").note("distinct times, float 0/1 events, reduction sum"));
}
