// adc_gan_classifier_loss: ADC-GAN's auxiliary discriminative classifier. The classifier head
// C on the discriminator's features has 2K outputs; a real sample of class y is labelled 2y, a
// generated one 2y + 1. With CE(z, j) = logsumexp(z) - z_j:
//   discriminator: lam [mean_r CE(C(x_r), 2 y_r) + mean_f CE(C(G(z)), 2 y_f + 1)]
//   generator:     lam mean_f [CE(C(G(z)), 2 y_f) - CE(C(G(z)), 2 y_f + 1)]
//                = lam mean_f (z_{2y+1} - z_{2y})      (unbounded below in principle),
// where input is C(G(z)) [B, 2K] with classes target [B], and the discriminator role also takes
// real_input C(x_r) [B_r, 2K] and real_target [B_r] (the real and fake batch sizes may differ,
// so the loss is a sum of two batch means: its own reduction). Added to the usual (hinge) GAN
// losses by the caller; the discriminator step feeds detached fakes (the caller's detach).
// Paper: "Conditional GANs with Auxiliary Discriminative Classifier" (ADC-GAN; catalog:
// generative.md, official code houliangict/adcgan BigGAN-PyTorch/train_fns.py,
// scripts/launch_cifar10_ema_adcgan_dual.sh: --G_lambda 1.0 --D_lambda 1.0).
// Defaults: role discriminator, lam 1. The `--hinge` classifier variant is not covered.
// Gradients (autograd): softmax(z) - onehot per CE. Composite.
#include "losses/generative/generative.h"
#include "ops/composite.h"

namespace lathe {

namespace {

// Checks logits [B, 2K] and class indices [B] in [0, K) and returns log_softmax(logits) picked
// at column 2y + offset: [B].
Tensor picked_log_prob(const char* op, const char* name, const char* tname, const Tensor& logits,
                       const Tensor& target, int64_t offset) {
  check_floating(op, name, logits);
  check_dim(op, name, logits, 2);
  int64_t b = logits.shape()[0], c = logits.shape()[1];
  LATHE_CHECK(c >= 2 && c % 2 == 0, "[", op, "] ", name,
              " needs 2K columns (real and fake of each class), got ", logits.shape());
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) && target.shape() == Shape{b},
              "[", op, "] ", tname, " must be integer class indices [", b, "], got ",
              target.defined() ? target.shape() : Shape{},
              target.defined() ? std::string(" ") + dtype_name(target.dtype()) : std::string());
  std::vector<int64_t> cols = target.to(DType::i64).to_vector<int64_t>();
  for (int64_t& v : cols) {
    LATHE_CHECK(v >= 0 && v < c / 2, "[", op, "] ", tname, " class ", v, " out of range [0, ",
                c / 2, ")");
    v = 2 * v + offset;
  }
  Tensor col = from_vector(cols, {b, 1}, logits.device());  // [B, 1]
  return reshape(gather(log_softmax(logits, 1), col, 1), {b});           // [B]
}

}  // namespace

Tensor adc_gan_classifier_loss(const Tensor& input, const Tensor& target,
                               const AdcGanClassifierLossOptions& o) {
  const char* op = "adc_gan_classifier_loss";
  LATHE_CHECK(o.role == "discriminator" || o.role == "generator", "[", op,
              "] role must be discriminator | generator, got '", o.role, "'");
  Tensor fake_as_fake = picked_log_prob(op, "input", "target", input, target, 1);   // [B]
  if (o.role == "generator") {
    LATHE_CHECK(!o.real_input.defined() && !o.real_target.defined(), "[", op,
                "] the generator role takes no real_input / real_target");
    Tensor fake_as_real = picked_log_prob(op, "input", "target", input, target, 0);  // [B]
    return o.lam * mean(fake_as_fake - fake_as_real);
  }
  LATHE_CHECK(o.real_input.defined() && o.real_target.defined(), "[", op,
              "] the discriminator role needs real_input and real_target");
  LATHE_CHECK(o.real_input.dim() == 2 && input.dim() == 2 &&
                  o.real_input.shape()[1] == input.shape()[1],
              "[", op, "] real_input ", o.real_input.shape(), " and input ", input.shape(),
              " must have the same 2K columns");
  Tensor real = picked_log_prob(op, "real_input", "real_target", o.real_input, o.real_target, 0);
  return o.lam * (-mean(real) - mean(fake_as_fake));
}

LATHE_REGISTER_OPS(adc_gan_classifier_loss) {
  registry.add(OpDef("adc_gan_classifier_loss", "generative")
                   .summary("ADC-GAN auxiliary classifier over 2K real/fake class labels "
                            "(discriminator or generator term)")
                   .paper("Conditional GANs with Auxiliary Discriminative Classifier")
                   .input("input")
                   .input("target", Kind::integer)
                   .options<AdcGanClassifierLossOptions>()
                   .input("real_input", &AdcGanClassifierLossOptions::real_input,
                          Kind::floating, kOptional)
                   .input("real_target", &AdcGanClassifierLossOptions::real_target,
                          Kind::integer, kOptional)
                   .attr("role", &AdcGanClassifierLossOptions::role,
                         "discriminator | generator")
                   .attr("lam", &AdcGanClassifierLossOptions::lam, "lambda_D or lambda_G")
                   .own_reduction("a sum of batch means (real and fake batches may differ in "
                                  "size)")
                   .output("loss")
                   .run(adc_gan_classifier_loss));
}

}  // namespace lathe
