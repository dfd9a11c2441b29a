// Test cases for ops/reparam/lora_linear.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(lora_linear) {
  const char* dora = "DoRA's row norm is a stop-gradient: finite differences of the forward "
                     "also move it; the oracle checks the detached rule";
  add(Case("lora_linear").normal("x", {3, 6}).normal("weight", {4, 6}).normal("lora_a", {2, 6})
          .normal("lora_b", {4, 2})
          .note("the catalog's example: r 2, alpha 16 (scale 8), no bias"));
  add(Case("lora_linear", "bias_rs").normal("x", {2, 3, 5}).normal("weight", {3, 5})
          .normal("bias", {3}).normal("lora_a", {4, 5}, 0.5).normal("lora_b", {3, 4}, 0.5)
          .attr("alpha", 8.0).attr("rs", true)
          .note("leading batch dims, a bias, rsLoRA scale 8 / sqrt(4)"));
  add(Case("lora_linear", "r1_zero_b").normal("x", {4, 3}).normal("weight", {2, 3})
          .normal("bias", {2}).normal("lora_a", {1, 3}).values("lora_b", {2, 1}, {0.0, 0.0})
          .attr("alpha", 1.0)
          .note("r 1 and B = 0 (the init): the output is the base layer's, A gets no gradient"));
  add(Case("lora_linear", "dora").normal("x", {3, 6}).normal("weight", {4, 6})
          .normal("lora_a", {2, 6}).normal("lora_b", {4, 2}).in("magnitude", {4}, 0.5, 2.0)
          .no_gradcheck(dora).note("the catalog's DoRA example shape, magnitude in [0.5, 2]"));
  add(Case("lora_linear", "dora_bias").normal("x", {2, 4}).normal("weight", {3, 4})
          .normal("bias", {3}).normal("lora_a", {2, 4}, 0.3).normal("lora_b", {3, 2}, 0.3)
          .in("magnitude", {3}, 0.5, 2.0).attr("alpha", 2.0).attr("rs", true).no_gradcheck(dora)
          .note("DoRA with a bias (added after the magnitude scale) and rsLoRA"));
}
