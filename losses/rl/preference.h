// Internal helpers of the rl_alignment losses in losses/rl/ (not part of lathe.h): input checks,
// the preference-logit losses shared by DPO, SimPO and CPO, and the optional token mask.
#pragma once

#include <string>

#include "core/tensor.h"

namespace lathe::rl_detail {

// Checks a per-sequence log-probability vector: floating, 1-D, `like`'s shape when given.
void check_logps(const char* op, const char* name, const Tensor& t,
                 const Tensor& like = Tensor());

// The per-pair loss of a preference logit h [B] (the log-ratio margin):
//   sigmoid: -(1 - ls) log sigmoid(beta h) - ls log sigmoid(-beta h)
//   hinge:   relu(1 - beta h)
//   ipo:     (h - 1 / (2 beta))^2              (only where `allow_ipo`)
Tensor preference_loss(const char* op, const Tensor& h, double beta, double label_smoothing,
                       const std::string& loss_type, bool allow_ipo);

// log sigmoid(x) = -softplus(-x), finite for any x.
Tensor log_sigmoid(const Tensor& x);

// An optional bool mask [B, T] as `like`'s dtype; all ones when undefined.
Tensor token_mask(const char* op, const Tensor& mask, const Tensor& like, const Shape& bt);

}  // namespace lathe::rl_detail
