// The fused-kernel names are one list (backends/fused_ops.def): the enum backends switch on,
// the lookup from a call's name, and the core's refusal to issue a name that is not listed.
#include <catch2/catch.hpp>

#include <string>

#include "backends/fused_ops.h"
#include "core/kernel.h"
#include "lathe.h"

using namespace lathe;

TEST_CASE("fused kernel names map to one enum and back", "[unit][backend]") {
  CHECK(lathe_fused_op_of("softmax") == LATHE_FUSED_SOFTMAX);
  CHECK(lathe_fused_op_of("layer_norm_backward") == LATHE_FUSED_LAYER_NORM_BACKWARD);
  CHECK(std::string(lathe_fused_op_names[LATHE_FUSED_RMS_NORM]) == "rms_norm");
  CHECK(lathe_fused_op_of("softmax_typo") == LATHE_FUSED_NONE);
  CHECK(lathe_fused_op_of("") == LATHE_FUSED_NONE);
  CHECK(lathe_fused_op_of(nullptr) == LATHE_FUSED_NONE);
  CHECK(LATHE_FUSED_COUNT == 31);
  for (int i = 0; i < LATHE_FUSED_COUNT; ++i) {  // every name is found as itself: no duplicates
    INFO(lathe_fused_op_names[i]);
    CHECK(lathe_fused_op_of(lathe_fused_op_names[i]) == i);
  }
}

TEST_CASE("the core issues only listed fused kernels", "[unit][backend][errors]") {
  Tensor x = ones({2, 3}, DType::f64, Device::reference());
  CHECK_THROWS_WITH(kernel::fused("softmax_typo", {x}, {{x.shape(), x.dtype()}}, {1.0}),
                    Catch::Equals("[softmax_typo] is not a fused kernel of "
                                  "backends/fused_ops.def: add it there"));
  // A listed name on a backend without fused kernels: no kernel, the caller runs its composite.
  CHECK(kernel::fused("softmax", {x}, {{x.shape(), x.dtype()}}, {1.0}).empty());
}
