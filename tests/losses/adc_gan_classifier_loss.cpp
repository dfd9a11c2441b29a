// Test cases for losses/generative/adc_gan_classifier_loss.cpp (gradcheck, conformance,
// oracle).
#include "tests/support/cases.h"

LATHE_CASES(adc_gan_classifier_loss) {
  add(Case("adc_gan_classifier_loss").normal("input", {4, 6}).index("target", {4}, 3)
          .normal("real_input", {3, 6}).index("real_target", {3}, 3)
          .note("discriminator: 3 classes (6 outputs), fake batch 4, real batch 3"));
  add(Case("adc_gan_classifier_loss", "generator").normal("input", {4, 6})
          .index("target", {4}, 3).attr("role", "generator").attr("lam", 0.5)
          .note("generator term CE(2y) - CE(2y + 1), lam 0.5"));
  add(Case("adc_gan_classifier_loss", "one_class").normal("input", {3, 2})
          .index("target", {3}, 1).normal("real_input", {2, 2}).index("real_target", {2}, 1)
          .note("one class: 2 outputs (real, fake)"));
  add(Case("adc_gan_classifier_loss", "same_class").normal("input", {2, 4})
          .values("target", {2}, {1, 1}, lathe::DType::i64).normal("real_input", {2, 4})
          .values("real_target", {2}, {1, 1}, lathe::DType::i64).attr("lam", 2.0)
          .note("real and fake of the same class, lam 2"));
}
