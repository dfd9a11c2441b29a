// unpg_loss: Unified Negative Pair Generation. With cos_m [B, C] the head's margin cosines
// (ArcFace cos(theta_y + m) or CosFace cos_y - m on the target column, before the scale),
// S = x^ x^T on the L2-normalized features and s_n the entries S_ij, i < j, y_i != y_j (M of
// them), the box-and-whisker filter keeps s_n within [Q1 - w IQR, Q3 + w IQR], where
// Q1 = sorted(s_n)[floor(M / 4)], Q3 = sorted(s_n)[floor(3M / 4)] (index quartiles, no
// interpolation) and IQR = Q3 - Q1. Every row gets the kept values as extra columns, never
// targets:
//   l_i = CE(s [cos_m_i | s_n kept], y_i)
// Paper: "Unified Negative Pair Generation toward Well-discriminative Feature Space for Face
// Recognition" (Jung et al., BMVC 2022); code Jung-Jun-Uk/UNPG recognition/models/head.py
// (UNPG) and build.py (box_and_whisker_algorithm, convert_label_to_similarity), as the
// catalog quotes them. NOTE: a batch with a single identity has no negative pair (the
// reference indexes an empty tensor and fails); lathe then adds no column (plain CE).
// Defaults: s 64, w 1.5 (the config's unpg entry). Reduction: mean over the batch.
// Gradients: autograd, into cos_m and through the kept s_n into the pairs' features; the
// quartiles and the whisker mask are decisions taken on the detached values.
#include <algorithm>
#include <vector>

#include "losses/face/face_more.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

namespace {
// Flat indices i * B + j of the kept negative pairs of S [B, B] (row-major, i < j).
std::vector<int64_t> kept_pairs(const Tensor& s, const std::vector<int64_t>& y, double wisk) {
  const int64_t b = static_cast<int64_t>(y.size());
  std::vector<double> v = cast(s.detach(), DType::f64).cpu().contiguous().to_vector<double>();
  std::vector<int64_t> idx;
  for (int64_t i = 0; i < b; ++i)
    for (int64_t j = i + 1; j < b; ++j)
      if (y[i] != y[j]) idx.push_back(i * b + j);
  if (idx.empty()) return idx;
  std::vector<double> srt;
  for (int64_t k : idx) srt.push_back(v[k]);
  std::sort(srt.begin(), srt.end());
  const size_t m = srt.size();
  const double q1 = srt[static_cast<size_t>(0.25 * m)], q3 = srt[static_cast<size_t>(0.75 * m)];
  const double lo = q1 - wisk * (q3 - q1), hi = q3 + wisk * (q3 - q1);
  std::vector<int64_t> kept;
  for (int64_t k : idx)
    if (v[k] >= lo && v[k] <= hi) kept.push_back(k);
  return kept;
}
}  // namespace

Tensor unpg_loss(const Tensor& cos_margin, const Tensor& x, const Tensor& labels,
                 const UnpgLossOptions& o) {
  const char* op = "unpg_loss";
  pairs::check_embeddings(op, "cos_margin", cos_margin);
  pairs::check_embeddings(op, "x", x);
  check_shape(op, "x", x, {cos_margin.size(0), x.size(1)});
  pairs::check_labels(op, "labels", labels, cos_margin.size(0));
  pairs::check_label_range(op, labels, cos_margin.size(1));
  LATHE_CHECK(o.wisk >= 0.0, "[", op, "] wisk must be >= 0, got ", o.wisk);
  Reduction r = parse_reduction(op, o.reduction);
  Tensor y = cast(labels, DType::i64);
  const int64_t b = x.size(0);
  Tensor xn = pairs::l2_normalize(x);                                       // [B, D]
  Tensor s = matmul(xn, xn.t());                                            // [B, B]
  std::vector<int64_t> kept = kept_pairs(s, y.cpu().contiguous().to_vector<int64_t>(), o.wisk);
  Tensor logits = cos_margin;                                               // [B, C]
  if (!kept.empty()) {
    const int64_t k = static_cast<int64_t>(kept.size());
    Tensor at = from_vector(kept, {k}, x.device());
    Tensor sn = index_select(s.reshape({b * b}), at, 0);                    // [K]
    logits = concat({cos_margin, sn.unsqueeze(0).expand({b, k})}, 1);     // [B, C + K]
  }
  return apply_reduction(softmax_cross_entropy(logits * o.s, y), r);
}

LATHE_REGISTER_OPS(unpg_loss) {
  registry.add(OpDef("unpg_loss", "face")
                   .summary("UNPG: margin-softmax CE with the batch's filtered negative-pair "
                            "cosines as extra columns")
                   .paper("Unified Negative Pair Generation toward Well-discriminative Feature "
                          "Space for Face Recognition")
                   .input("cos_margin")
                   .input("x")
                   .input("labels", Kind::integer)
                   .options<UnpgLossOptions>()
                   .attr("s", &UnpgLossOptions::s, "logit scale")
                   .attr("wisk", &UnpgLossOptions::wisk, "whisker length in IQRs, >= 0")
                   .attr("reduction", &UnpgLossOptions::reduction, "none | mean | sum")
                   .output("loss")
                   .run(unpg_loss));
}

}  // namespace lathe
