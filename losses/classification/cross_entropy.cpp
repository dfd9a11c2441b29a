// cross_entropy: l_b = -sum_c q_bc log_softmax(z_b)_c for logits z [B, C] or [B, C, d1, ...]
// (class dim 1) and either class indices y [B, d1, ...] (q = one_hot(y)) or class probabilities
// q shaped like z. Label smoothing eps: q~ = (1 - eps) q + eps / C ('uniform', PyTorch), or
// fairseq >= 0.10's 'exclusive': (1 - eps - eps_i) nll + eps_i sum_v -log p_v, eps_i = eps/(C-1).
// Class weights w [C] scale a row by w_y (hard targets) or each class term (soft targets).
// Rows with y == ignore_index contribute 0 and leave the mean's denominator.
// Papers: "Scaling Laws for Neural Machine Translation"; "Weak-to-Strong Generalization";
// "Dual-Head Knowledge Distillation" (catalog: classification.md; PyTorch F.cross_entropy).
// Defaults: ignore_index -100, label_smoothing 0, no weights, reduction 'mean'.
// Reduction 'mean': sum_b w_{y_b} l_b / sum_b w_{y_b} over kept rows (the row count without
// weights); when every row is ignored it is 0 with zero gradients (PyTorch: NaN), as the loss
// contract asks (losses/README.md); soft targets divide by the number of rows. The nll term runs through softmax_cross_entropy (a fused kernel on the cpu backend).
// Composite: the gradient softmax(z) - q~ (scaled) comes from autograd.
#include "losses/classification/classification.h"
#include "ops/composite.h"

namespace lathe {

namespace {
// Logits with the class dim last, flattened: [N, C].
Tensor class_rows(const Tensor& x) {
  if (x.dim() == 2) return x;
  Axes dims = {0};
  for (int i = 2; i < x.dim(); ++i) dims.push_back(i);
  dims.push_back(1);
  return reshape(permute(x, dims), {-1, x.shape()[1]});
}

// Per-position losses [N] back to the target's shape [B, d1, ...].
Tensor unflatten(const Tensor& rows, const Tensor& input) {
  Shape shape = input.shape();
  shape.erase(1);
  return reshape(rows, shape);
}

Tensor soft_target_loss(const Tensor& z, const Tensor& target, const CrossEntropyOptions& o,
                        const Tensor& input) {
  const char* op = "cross_entropy";
  LATHE_CHECK(target.shape() == input.shape(), "[", op, "] probability targets ", target.shape(),
              " must match the logits ", input.shape());
  LATHE_CHECK(o.smoothing == "uniform", "[", op, "] smoothing 'exclusive' needs class-index targets");
  int64_t c = z.shape()[1];
  Tensor q = class_rows(target);                                          // [N, C]
  if (o.label_smoothing > 0) q = q * (1.0 - o.label_smoothing) + o.label_smoothing / double(c);
  Tensor terms = q * log_softmax(z, 1);                                   // [N, C]
  if (o.weight.defined()) terms = terms * o.weight;
  Tensor rows = -sum(terms, {1});                                         // [N]
  Reduction reduction = parse_reduction(op, o.reduction);
  if (reduction == Reduction::none) return unflatten(rows, input);
  return apply_reduction(rows, reduction);
}
}  // namespace

Tensor cross_entropy(const Tensor& input, const Tensor& target, const CrossEntropyOptions& o) {
  const char* op = "cross_entropy";
  check_floating(op, input);
  LATHE_CHECK(input.dim() >= 2, "[", op, "] logits must be [B, C, ...], got ", input.shape());
  int64_t c = input.shape()[1];
  LATHE_CHECK(o.label_smoothing >= 0 && o.label_smoothing <= 1, "[", op,
              "] label_smoothing must lie in [0, 1], got ", o.label_smoothing);
  LATHE_CHECK(o.smoothing == "uniform" || o.smoothing == "exclusive", "[", op,
              "] smoothing must be uniform or exclusive, got '", o.smoothing, "'");
  Reduction reduction = parse_reduction(op, o.reduction);
  if (o.weight.defined())
    LATHE_CHECK(o.weight.shape() == Shape{c} && is_floating(o.weight.dtype()), "[", op,
                "] weight must be a float tensor [", c, "], got ", o.weight.shape());
  Tensor z = class_rows(input);                                           // [N, C]
  if (is_floating(target.dtype())) return soft_target_loss(z, target, o, input);

  Shape expected = input.shape();
  expected.erase(1);
  LATHE_CHECK(is_integral(target.dtype()) && target.shape() == expected, "[", op,
              "] class-index targets must be integers ", expected, ", got ", target.dtype(), " ",
              target.shape());
  Tensor y = reshape(target, {-1}).to(DType::i64);                        // [N]
  Tensor keep = ne(y, static_cast<double>(o.ignore_index));               // [N] bool
  Tensor y_safe = where(keep, y, scalar_like(0, y));
  Tensor kept = cast(keep, z.dtype());                                    // [N]
  Tensor w_y, nll;
  try {
    w_y = o.weight.defined() ? gather(o.weight, y_safe, 0) * kept : kept;  // [N]
    nll = softmax_cross_entropy(z, y_safe);                                // [N]
  } catch (const Error&) {
    // A target outside [0, C) fails inside the lookups, whose errors name the inner op; on
    // this error path only, find it on the host and name it as the caller's.
    for (int64_t v : y_safe.to_vector<int64_t>())
      LATHE_CHECK(v >= 0 && v < c, "[", op, "] target ", v, " out of range [0, ", c,
                  ") (and not ignore_index ", o.ignore_index, ")");
    throw;
  }
  Tensor rows = nll * w_y;
  if (o.label_smoothing > 0) {
    double eps = o.label_smoothing;
    Tensor lp = log_softmax(z, 1);                                        // [N, C]
    if (o.smoothing == "uniform") {
      Tensor smooth = -sum(o.weight.defined() ? lp * o.weight : lp, {1}) * kept;
      rows = rows * (1.0 - eps) + smooth * (eps / double(c));
    } else {
      LATHE_CHECK(!o.weight.defined(), "[", op, "] smoothing 'exclusive' takes no class weights");
      LATHE_CHECK(c >= 2, "[", op, "] smoothing 'exclusive' needs at least 2 classes");
      double eps_i = eps / double(c - 1);
      rows = rows * (1.0 - eps - eps_i) + (-sum(lp, {1}) * kept) * eps_i;
    }
  }
  if (reduction == Reduction::none) return unflatten(rows, input);
  if (reduction == Reduction::sum) return sum(rows);
  // Every row ignored: 0 / 1, a finite 0 with zero gradients (the loss contract), not 0 / 0.
  Tensor total_weight = sum(w_y);
  return sum(rows) / where(eq(total_weight, 0.0), scalar_like(1.0, total_weight), total_weight);
}

LATHE_REGISTER_OPS(cross_entropy) {
  registry.add(
      OpDef("cross_entropy", "classification")
          .summary("softmax cross-entropy with class indices or probabilities")
          .paper("Scaling Laws for Neural Machine Translation; Weak-to-Strong Generalization: "
                 "Eliciting Strong Capabilities With Weak Supervision; Dual-Head Knowledge "
                 "Distillation: Enhancing Logits Utilization with an Auxiliary Head")
          .input("input")
          .input("target", Kind::any)
          .options<CrossEntropyOptions>()
          .input("weight", &CrossEntropyOptions::weight, Kind::floating, kOptional | kNoGrad)
          .attr("ignore_index", &CrossEntropyOptions::ignore_index,
                "class-index targets equal to it contribute nothing")
          .attr("label_smoothing", &CrossEntropyOptions::label_smoothing,
                "mass in [0, 1] moved from the target to the smoothing distribution")
          .attr("reduction", &CrossEntropyOptions::reduction, "none | mean | sum")
          .attr("smoothing", &CrossEntropyOptions::smoothing,
                "uniform (PyTorch) | exclusive (fairseq >= 0.10: spread over the other classes)")
          .output("loss")
          .run(cross_entropy));
}

}  // namespace lathe
