// Test cases for losses/face/*.cpp (conformance, oracle; tools/oracle/loss_embedding.py).
#include "tests/support/cases.h"

LATHE_CASES(face_losses) {
  using lathe::DType;
  // sface_loss's re-scaling weights are stop-gradient: the oracle checks its gradients.
  const char* why = "stop-gradient re-scaling weights: the gradient is not the derivative";
  add(Case("sface_loss").no_gradcheck(why).normal("x", {4, 6}).normal("weight", {5, 6})
          .values("labels", {4}, {0, 3, 3, 1}, DType::i64).note("s 64, k 80, a 0.8, b 1.23"));
  add(Case("sface_loss", "casia").no_gradcheck(why).normal("x", {5, 3}).normal("weight", {3, 3})
          .values("labels", {5}, {2, 0, 1, 1, 0}, DType::i64).attr("a", 0.87).attr("b", 1.2)
          .attr("k", 10.0).attr("s", 8.0).note("the CASIA-WebFace script's a, b; k 10, s 8"));
  add(Case("sface_loss", "one_class").no_gradcheck(why).normal("x", {3, 4})
          .normal("weight", {1, 4}).values("labels", {3}, {0, 0, 0}, DType::i64)
          .note("C = 1: no inter-class term"));
  add(Case("sface_loss", "zero_row").no_gradcheck(why)
          .values("x", {3, 3}, {0.5, -1.0, 0.3, 0.0, 0.0, 0.0, 1.1, 0.1, -0.6})
          .normal("weight", {2, 3}).values("labels", {3}, {0, 1, 1}, DType::i64)
          .note("a zero feature: cosines 0, gradient scaled by 1e12 (F.normalize)"));
}
