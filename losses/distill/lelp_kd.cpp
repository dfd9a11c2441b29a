// lelp_kd: LELP, few-class distillation through pseudo-subclasses read from the teacher's
// embeddings (a procedure). Offline (lelp_subclass_targets): the teacher's final-layer
// embeddings e [N, D] are projected onto the null space of its classifier W [C, D],
//   e' = e - (e W^+) W            (W^+ the pseudo-inverse: the classifier's row space removed),
// so only what the logits do not already say remains; within each class k the projections are
// centered and scored along their first principal direction u_k (eigh of the class
// covariance), t_i = (e'_i - mean_k) . u_k, and cut into s equal-count bins by rank: the target
// of sample i is k s + bin_i. The student, with C s outputs, is trained on these targets by
// cross-entropy (the registered loss part, lelp_kd) and collapses back to classes with a
// log-sum-exp over each class's subclasses (lelp_collapse). Teacher and student dimensions may
// differ (nothing is learned between them).
// Paper: "Linear Projections of Teacher Embeddings for Few-Class Distillation" (arXiv
// 2409.20449; catalog: distillation.md, procedure, confidence memory).
// Checked (this round): no code by the authors and no paper body were found in the code and
// pages corpora searched; the null-space projection and the per-class PCA split are the
// catalog's reading (from public reviews). The number of subclasses (s, default 2), the cut by
// equal-count bins along the first direction only and the plain cross-entropy are lathe's
// choices where the catalog has none (unverified).
// Defaults: subclasses 2, reduction 'mean'.
// Gradient (autograd): softmax(z) - e_target into the student; the targets are constants.
// Composite (the offline step runs without a graph).
#include <algorithm>
#include <numeric>

#include "losses/classification/classification.h"
#include "losses/distill/distill_extra.h"
#include "ops/composite.h"
#include "ops/linalg/linalg.h"

namespace lathe {

Tensor lelp_kd(const Tensor& student, const Tensor& target, const LelpKdOptions& o) {
  const char* op = "lelp_kd";
  check_floating(op, "student", student);
  check_dim(op, "student", student, 2);
  Reduction r = parse_reduction(op, o.reduction);
  LATHE_CHECK(o.subclasses >= 1, "[", op, "] subclasses must be >= 1, got ", o.subclasses);
  const int64_t b = student.size(0), width = student.size(1);
  LATHE_CHECK(width % o.subclasses == 0, "[", op, "] student has ", width,
              " columns, not a multiple of subclasses ", o.subclasses);
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) && target.shape() == Shape{b},
              "[", op, "] targets must be integers [", b, "], got ",
              target.defined() ? target.shape() : Shape{});
  for (int64_t t : target.to(DType::i64).to_vector<int64_t>())
    LATHE_CHECK(t >= 0 && t < width, "[", op, "] target ", t, " out of range [0, ", width, ")");
  CrossEntropyOptions ce;
  ce.reduction = reduction_name(r);
  return cross_entropy(student, target.to(DType::i64), ce);
}

Tensor lelp_subclass_targets(const Tensor& teacher_embeddings, const Tensor& labels,
                             const Tensor& classifier_weight, int64_t subclasses) {
  const char* op = "lelp_kd";
  check_floating(op, "teacher_embeddings", teacher_embeddings);
  check_dim(op, "teacher_embeddings", teacher_embeddings, 2);
  const int64_t n = teacher_embeddings.size(0), d = teacher_embeddings.size(1);
  check_floating(op, "classifier_weight", classifier_weight);
  LATHE_CHECK(classifier_weight.dim() == 2 && classifier_weight.size(1) == d, "[", op,
              "] classifier_weight must be [C, ", d, "], got ", classifier_weight.shape());
  const int64_t c = classifier_weight.size(0);
  LATHE_CHECK(labels.defined() && is_integral(labels.dtype()) && labels.shape() == Shape{n},
              "[", op, "] labels must be integers [", n, "], got ",
              labels.defined() ? labels.shape() : Shape{});
  LATHE_CHECK(subclasses >= 1, "[", op, "] subclasses must be >= 1, got ", subclasses);
  NoGradGuard no_grad;
  Tensor e = teacher_embeddings.detach().to(DType::f64);                   // [N, D]
  Tensor w = classifier_weight.detach().to(DType::f64);                    // [C, D]
  Tensor proj = e - matmul(matmul(e, pinv(w)), w);                         // [N, D]
  std::vector<int64_t> y = labels.to(DType::i64).to_vector<int64_t>(), out(n);
  for (int64_t k = 0; k < c; ++k) {
    std::vector<int64_t> rows;
    for (int64_t i = 0; i < n; ++i) {
      LATHE_CHECK(y[i] >= 0 && y[i] < c, "[", op, "] label ", y[i], " out of range [0, ", c,
                  ")");
      if (y[i] == k) rows.push_back(i);
    }
    const int64_t m = static_cast<int64_t>(rows.size());
    if (m == 0) continue;
    std::vector<double> t(m, 0.0);
    if (m >= 2 && subclasses > 1) {
      Tensor xk = index_select(proj, from_vector(rows, {m}, proj.device()), 0);  // [m, D]
      Tensor centered = xk - mean(xk, {0}, true);                          // [m, D]
      Tensor cov = matmul(centered.t(), centered) / double(m - 1);         // [D, D]
      Tensor u = narrow(eigh(cov).second, 1, d - 1, 1);                    // [D, 1] top
      t = reshape(matmul(centered, u), {m}).to_vector<double>();           // [m]
    }
    std::vector<int64_t> order(m);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t p, int64_t q) { return t[p] < t[q]; });
    for (int64_t rank = 0; rank < m; ++rank)
      out[rows[order[rank]]] = k * subclasses + rank * subclasses / m;
  }
  return from_vector(out, {n}, teacher_embeddings.device());
}

Tensor lelp_collapse(const Tensor& logits, int64_t subclasses) {
  LATHE_CHECK(logits.dim() == 2 && subclasses >= 1 && logits.size(1) % subclasses == 0,
              "[lelp_kd] logits [B, C s] with s = ", subclasses, " expected, got ",
              logits.shape());
  const int64_t b = logits.size(0), c = logits.size(1) / subclasses;
  return logsumexp(reshape(logits, {b, c, subclasses}), {2});              // [B, C]
}

LATHE_REGISTER_OPS(lelp_kd) {
  registry.add(OpDef("lelp_kd", "distillation")
                   .summary("LELP's loss part: cross-entropy of the student's class x subclass "
                            "logits against pseudo-subclass targets from the teacher")
                   .paper("Linear Projections of Teacher Embeddings for Few-Class Distillation")
                   .input("student")
                   .input("target", Kind::integer)
                   .options<LelpKdOptions>()
                   .attr("subclasses", &LelpKdOptions::subclasses,
                         "pseudo-subclasses per class (logits are [B, C s])")
                   .attr("reduction", &LelpKdOptions::reduction, "none ([B]) | mean | sum")
                   .output("loss")
                   .run(lelp_kd));
}

}  // namespace lathe
