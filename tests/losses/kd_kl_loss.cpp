// Test cases for losses/distill/kd_kl_loss.cpp.
#include "tests/support/cases.h"

LATHE_CASES(kd_kl_loss) {
  add(Case("kd_kl_loss").in("student", {4, 5}).in("teacher", {4, 5}, -3.0, 3.0));
  add(Case("kd_kl_loss", "t1").in("student", {3, 4}).in("teacher", {3, 4}).attr("temperature", 1.0));
  add(Case("kd_kl_loss", "elementwise").in("student", {3, 6}).in("teacher", {3, 4})
          .attr("variant", "elementwise"));
  add(Case("kd_kl_loss", "cls_kd").in("student", {4, 5}).in("teacher", {4, 5})
          .index("labels", {4}, 5).attr("variant", "cls_kd").attr("alpha", 0.3));
}
