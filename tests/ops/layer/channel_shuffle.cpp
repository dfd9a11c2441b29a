// Test cases for ops/layer/channel_shuffle.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(channel_shuffle) {
  add(Case("channel_shuffle").in("y_syn", {4, 3, 2, 2}).in("y_real", {4, 3, 2, 2})
          .values("mask", {4}, {1, 0, 1, 0}, DType::boolean).note("two of four samples swapped"));
  add(Case("channel_shuffle", "none").in("y_syn", {2, 3, 2}).in("y_real", {2, 3, 2})
          .values("mask", {2}, {0, 0}, DType::boolean).note("mask all false: no swap"));
  add(Case("channel_shuffle", "all").in("y_syn", {2, 3, 2}).in("y_real", {2, 3, 2})
          .values("mask", {2}, {1, 1}, DType::boolean).note("mask all true: full swap"));
  add(Case("channel_shuffle", "b1").in("y_syn", {1, 3, 2, 2}).in("y_real", {1, 3, 2, 2})
          .values("mask", {1}, {1}, DType::boolean).note("B = 1"));
}
