// fitnet_hint_loss: the FitNets hint, student features s [B, C_s] or [B, C_s, ...] mapped to
// the teacher's channels by a learnable regressor W [C_t, C_s] (+ b [C_t]) along axis 1 (a
// linear layer for [B, C_s], a 1x1 convolution for [B, C_s, H, W]), against teacher features
// t [B, C_t, ...] (detached):
//   r = W s + b (over the channel axis),  l = (r - t)^2,  reduced 'mean' (default), 'sum' or
//   'none' (per element). Without W the student must already have the teacher's shape.
// Paper: "FitNets: Hints for Thin Deep Nets" (Romero et al., ICLR 2015),
// https://arxiv.org/abs/1412.6550; RepDistiller distiller_zoo/FitNet.py (HintLoss = MSE) and
// torchdistill's FitNet (a regressor module on the student, MSE), mdistiller's FitNet
// (a ConvReg regressor, weight 100).
// NOTE: RepDistiller's ConvReg is a 3x3 conv + BN + ReLU; the 1x1 linear map here is the
// paper's regressor reduced to what needs no convolution (torchdistill configs use 1x1). The
// regressor's parameters train with the student (they receive gradient); the hint weight
// (mdistiller: 100) is the caller's. Composite.
#include "losses/distill/common.h"
#include "losses/distill/feature.h"

namespace lathe {

using namespace distill;

Tensor fitnet_hint_loss(const Tensor& student, const Tensor& teacher, const FitnetOptions& o) {
  const char* op = "fitnet_hint_loss";
  check_floating(op, "student", student);
  check_floating(op, "teacher", teacher);
  Reduction reduction = parse_reduction(op, o.reduction);
  LATHE_CHECK(student.dim() >= 2 && teacher.dim() == student.dim(), "[", op,
              "] student and teacher features must be [B, C, ...] with one rank, got ",
              student.shape(), " and ", teacher.shape());
  Tensor r = student;                                                     // [B, C_s, ...]
  if (o.weight.defined()) {
    check_floating(op, "weight", o.weight);
    int64_t cs = student.shape()[1], ct = teacher.shape()[1];
    LATHE_CHECK(o.weight.shape() == Shape({ct, cs}), "[", op, "] the regressor weight must be "
                "[C_t, C_s] = [", ct, ", ", cs, "] to map the student ", student.shape(),
                " to the teacher ", teacher.shape(), ", got ", o.weight.shape());
    if (o.bias.defined()) check_shape(op, "bias", o.bias, {ct});
    Tensor x = student.dim() == 2 ? student : transpose(student, 1, -1);   // [B, ..., C_s]
    Tensor y = linear(x, o.weight, o.bias);                               // [B, ..., C_t]
    r = student.dim() == 2 ? y : transpose(y, 1, -1);                     // [B, C_t, ...]
  } else {
    LATHE_CHECK(!o.bias.defined(), "[", op, "] a bias needs a regressor weight");
  }
  LATHE_CHECK(r.shape() == teacher.shape(), "[", op, "] the ",
              o.weight.defined() ? "regressed student " : "student (no regressor) ", r.shape(),
              " must match the teacher ", teacher.shape());
  Tensor d = r - teacher.detach();
  return apply_reduction(d * d, reduction);
}

LATHE_REGISTER_OPS(fitnet_hint_loss) {
  registry.add(OpDef("fitnet_hint_loss", "distillation")
                   .summary("FitNets hint: (W student + b - teacher)^2 with a learnable 1x1 "
                            "(linear) regressor over the channel axis")
                   .paper("FitNets: Hints for Thin Deep Nets")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<FitnetOptions>()
                   .input("weight", &FitnetOptions::weight, Kind::floating, kOptional)
                   .input("bias", &FitnetOptions::bias, Kind::floating, kOptional)
                   .attr("reduction", &FitnetOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(fitnet_hint_loss));
}

}  // namespace lathe
