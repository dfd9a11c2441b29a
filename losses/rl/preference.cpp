// Internal helpers of the rl_alignment losses (losses/rl/preference.h).
#include "losses/rl/preference.h"

#include "ops/composite.h"

namespace lathe::rl_detail {

void check_logps(const char* op, const char* name, const Tensor& t, const Tensor& like) {
  check_floating(op, name, t);
  check_dim(op, name, t, 1);
  LATHE_CHECK(!like.defined() || t.shape() == like.shape(), "[", op, "] ", name,
              " must have the shape ", like.shape(), ", got ", t.shape());
}

Tensor log_sigmoid(const Tensor& x) { return -softplus(-x); }

Tensor preference_loss(const char* op, const Tensor& h, double beta, double label_smoothing,
                       const std::string& loss_type, bool allow_ipo) {
  LATHE_CHECK(beta > 0.0, "[", op, "] beta must be > 0, got ", beta);
  LATHE_CHECK(label_smoothing >= 0.0 && label_smoothing <= 0.5, "[", op,
              "] label_smoothing must lie in [0, 0.5], got ", label_smoothing);
  if (loss_type == "sigmoid") {
    Tensor loss = -(1.0 - label_smoothing) * log_sigmoid(beta * h);   // [B]
    if (label_smoothing == 0.0) return loss;
    return loss - label_smoothing * log_sigmoid(-beta * h);
  }
  if (loss_type == "hinge") return relu(1.0 - beta * h);
  if (loss_type == "ipo" && allow_ipo) return pow(h - 1.0 / (2.0 * beta), 2.0);
  LATHE_FAIL("[", op, "] loss_type must be sigmoid | hinge", allow_ipo ? " | ipo" : "",
             ", got '", loss_type, "'");
}

Tensor token_mask(const char* op, const Tensor& mask, const Tensor& like, const Shape& bt) {
  if (!mask.defined()) return ones(bt, like.dtype(), like.device());
  LATHE_CHECK(mask.dtype() == DType::boolean && mask.shape() == bt, "[", op,
              "] mask must be bool ", bt, ", got ", mask.dtype(), " ", mask.shape());
  return cast(mask, like.dtype());
}

}  // namespace lathe::rl_detail
