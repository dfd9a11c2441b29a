// Test cases for losses/distill/sinkhorn_kd_loss.cpp (gradcheck, conformance, oracle).
#include "tests/support/cases.h"

LATHE_CASES(sinkhorn_kd_loss) {
  add(Case("sinkhorn_kd_loss").normal("student", {5, 4}, 2.0).normal("teacher", {5, 4}, 2.0)
          .attr("scale", 1.0).note("scale 1 (so the gradient check has weight), T 2, eps 0.1"));
  add(Case("sinkhorn_kd_loss", "glue").normal("student", {4, 3}).normal("teacher", {4, 3})
          .note("official defaults: scale 0.001"));
  add(Case("sinkhorn_kd_loss", "gptneo_t1").normal("student", {3, 5}).normal("teacher", {3, 5})
          .attr("scale", 0.0008).attr("T", 1.0).attr("n_iters", 5)
          .note("scale 0.0008 (GPT-Neo, T0), T 1, 5 iterations"));
  add(Case("sinkhorn_kd_loss", "single").normal("student", {1, 4}).normal("teacher", {1, 4})
          .attr("scale", 1.0).note("B 1: the plan is 1"));
}
