// Test cases for ops/prim/to_device.cpp (consumed by the gradcheck and conformance runners).
#include "tests/support/cases.h"

LATHE_CASES(to_device) {
  add(Case("to_device").in("x", {3, 4}).attr("device", std::string("reference")).moves_device()
          .no_oracle("moves data between lathe backends: no PyTorch counterpart"));
}
