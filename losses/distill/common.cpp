// Helpers shared by the distillation objectives: argument checks, the non-target columns of
// DKD-style losses, and the ignore_index-aware token reduction of the LLM objectives.
#include "losses/distill/common.h"

namespace lathe::distill {

void check_temperature(const char* op, double temperature) {
  LATHE_CHECK(temperature > 0, "[", op, "] temperature must be positive, got ", temperature);
}

Tensor check_class_targets(const char* op, const Tensor& target, int64_t classes) {
  LATHE_CHECK(target.defined(), "[", op, "] class-index targets are missing");
  LATHE_CHECK(is_integral(target.dtype()) && target.dim() == 1, "[", op,
              "] class-index targets must be integers [B], got ", target.dtype(), " ",
              target.shape());
  Tensor y = target.to(DType::i64);
  if (y.numel() > 0) {
    int64_t lo = static_cast<int64_t>(min(y).item()), hi = static_cast<int64_t>(max(y).item());
    LATHE_CHECK(lo >= 0 && hi < classes, "[", op, "] class indices must lie in [0, ", classes,
                "), got ", lo < 0 ? lo : hi);
  }
  return y;
}

Tensor non_target_index(const Tensor& y, int64_t classes) {
  Tensor cols = unsqueeze(arange(classes - 1, DType::i64, y.device()), 0);  // [1, C-1]
  Tensor shift = cast(ge(cols, unsqueeze(y, 1)), DType::i64);               // [B, C-1]
  return cols + shift;
}

void check_token_logits(const char* op, const Tensor& student, const Tensor& teacher) {
  check_floating(op, "student", student);
  check_floating(op, "teacher", teacher);
  LATHE_CHECK(student.dim() >= 1 && student.shape() == teacher.shape(), "[", op,
              "] student and teacher logits must have one shape [..., V] (the same "
              "vocabulary), got ", student.shape(), " and ", teacher.shape());
}

Tensor kept_tokens(const char* op, const Tensor& labels, int64_t ignore_index,
                   const Shape& tokens, const Tensor& like) {
  if (!labels.defined()) return full(tokens, 1.0, like.dtype(), like.device());
  LATHE_CHECK(is_integral(labels.dtype()) && labels.shape() == tokens, "[", op,
              "] labels must be integers ", tokens, ", got ", labels.dtype(), " ",
              labels.shape());
  return cast(ne(labels.to(DType::i64), static_cast<double>(ignore_index)), like.dtype());
}

Tensor reduce_tokens(const Tensor& rows, const Tensor& kept, Reduction reduction) {
  Tensor masked = rows * kept;
  if (reduction == Reduction::none) return masked;
  if (reduction == Reduction::sum) return sum(masked);
  Tensor count = sum(kept);
  return sum(masked) / where(eq(count, 0.0), scalar_like(1.0, count), count);
}

}  // namespace lathe::distill

namespace lathe::distill {

Tensor widen(const Tensor& x) {
  return x.dtype() == DType::f16 || x.dtype() == DType::bf16 ? cast(x, DType::f32) : x;
}

Tensor flatten_batch(const char* op, const char* name, const Tensor& x, int64_t batch) {
  check_floating(op, name, x);
  LATHE_CHECK(x.dim() >= 2 && x.shape()[0] == batch && x.numel() > 0, "[", op, "] ", name,
              " must be [B, ...] features with B = ", batch, ", got ", x.shape());
  return reshape(x, {batch, -1});
}

Tensor l2_normalize(const Tensor& x, int64_t axis) {
  // sqrt of the clamped square: the same value as max(||x||, 1e-12), and at a zero vector the
  // clamp (not sqrt's infinite slope at 0) is what the gradient goes through.
  Tensor w = widen(x);  // 1e-24 is 0 in f16
  Tensor norm = sqrt(maximum(sum(w * w, {axis}, true), 1e-24));
  return cast(w / norm, x.dtype());
}

}  // namespace lathe::distill
