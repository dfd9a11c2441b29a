// aph_recon_loss: APHQ-ViT's Hessian-weighted block reconstruction, quantized block output
// pred [...] against the full-precision output y [...] (the "teacher", detached), weighted by
// the average perturbation Hessian H [...] (a constant, one shape):
//   L = mean((pred - y)^2 |H|).
// H = mean over calibration data of |g(+delta) - g(-delta)|, g the gradient of
// KL(log_softmax(f_FP(x) / 20) || stored FP softmax) at the block output perturbed by
// +-delta (1e-6): two extra backward passes, the caller's (it needs the model).
// Paper: "APHQ-ViT: Post-Training Quantization with Average Perturbation Hessian Based
// Reconstruction for Vision Transformers" (Wu et al., CVPR 2025); code GoatWu/APHQ-ViT
// utils/block_recon.py (init_block_perturb_hessian, LossFunction) (catalog: distillation.md).
// The AdaRound rounding regularizer and the rec_loss 2 / init_loss normalization of the code
// are the reconstruction loop's. Reduction: mean over the elements. Composite.
#include "losses/distill/common.h"
#include "losses/distill/other.h"

namespace lathe {

Tensor aph_recon_loss(const Tensor& pred, const Tensor& teacher, const AphReconOptions& o) {
  const char* op = "aph_recon_loss";
  check_floating(op, "pred", pred);
  check_floating(op, "teacher", teacher);
  check_same_shape(op, "pred", pred, "teacher", teacher);
  check_floating(op, "hessian", o.hessian);
  check_same_shape(op, "pred", pred, "hessian", o.hessian);
  Tensor d = pred - teacher.detach();
  return mean(d * d * abs(o.hessian.detach()));
}

LATHE_REGISTER_OPS(aph_recon_loss) {
  registry.add(OpDef("aph_recon_loss", "distillation")
                   .summary("mean((quantized - full-precision block output)^2 |H|), H the "
                            "average perturbation Hessian")
                   .paper("APHQ-ViT: Post-Training Quantization with Average Perturbation "
                          "Hessian Based Reconstruction for Vision Transformers")
                   .input("pred")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<AphReconOptions>()
                   .input("hessian", &AphReconOptions::hessian, Kind::floating, kNoGrad)
                   .output("loss")
                   .own_reduction("mean over the elements (the reference's, no other mode)")
                   .run(aph_recon_loss));
}

}  // namespace lathe
