// The bag statistics the aggregate-response losses share (aggregate_bag_loss,
// aggregate_instance_loss, aggregate_interp_loss): argument checks and the per-bag mean of the
// predictions, a segment mean through scatter_add. Internal to losses/regression.
#pragma once

#include <vector>

#include "ops/composite.h"

namespace lathe {

// Checks predictions [n], bag ids [n] (integers in [0, B)) and bag responses [B]; every bag
// must hold an instance (an empty bag's mean is 0/0). Returns the bag means of pred, [B].
inline Tensor bag_means(const char* op, const Tensor& pred, const Tensor& bag_ids,
                        const Tensor& bag_y) {
  check_floating(op, "pred", pred);
  check_floating(op, "bag_y", bag_y);
  check_dim(op, "pred", pred, 1);
  check_dim(op, "bag_y", bag_y, 1);
  LATHE_CHECK(bag_ids.defined() && is_integral(bag_ids.dtype()) && bag_ids.shape() == pred.shape(),
              "[", op, "] bag_ids must be integers shaped like pred ", pred.shape(), ", got ",
              bag_ids.defined() ? bag_ids.shape() : Shape{});
  int64_t nb = bag_y.shape()[0];
  std::vector<int64_t> count(nb, 0);
  for (int64_t b : bag_ids.to(DType::i64).to_vector<int64_t>()) {
    LATHE_CHECK(b >= 0 && b < nb, "[", op, "] bag id ", b, " out of range [0, ", nb, ")");
    ++count[b];
  }
  for (int64_t b = 0; b < nb; ++b)
    LATHE_CHECK(count[b] > 0, "[", op, "] bag ", b, " has no instance (its mean is 0/0)");
  Tensor ids = bag_ids.to(DType::i64);
  Tensor sums = scatter_add(zeros_like(bag_y.detach()), ids, pred, 0);            // [B]
  Tensor counts = scatter_add(zeros_like(bag_y.detach()), ids, ones_like(pred.detach()), 0);
  return sums / counts;                                                             // [B]
}

}  // namespace lathe
