// rkd_loss: relational knowledge distillation, student embeddings s [B, ...] and teacher
// embeddings t [B, ...] (flattened to [B, D_s], [B, D_t]; the teacher detached):
//   distance: d_ij = ||e_i - e_j|| / mean_{i != j} ||e_i - e_j||,
//             L_d = mean_{i,j} huber(d^s_ij - d^t_ij),
//   angle:    n_ij = normalize(e_j - e_i),  a_ijk = <n_ij, n_ik>,
//             L_a = mean_{i,j,k} huber(a^s_ijk - a^t_ijk),
//   L = w_d L_d + w_a L_a,  huber = smooth_l1 with beta 1 (F.smooth_l1_loss).
// Paper: "Relational Knowledge Distillation" (Park, Kim, Lu, Cho, CVPR 2019),
// https://arxiv.org/abs/1904.05068; code lenscloth/RKD, RepDistiller distiller_zoo/RKD.py.
// Defaults (RepDistiller): w_d 25, w_a 50.
// NOTE: the distances come from sqrt(clamp(|e_i|^2 + |e_j|^2 - 2 e_i.e_j, 1e-12)) with a zero
// diagonal, as the reference's pdist. The angle terms with j = i or k = i are 0 in the
// reference (a zero difference normalizes to 0); lathe masks them out explicitly, with the
// same value, so that the 1e12 slope of normalize at 0 does not meet rounding (their true
// gradient is 0: e_i - e_i does not depend on e). Means include those zero terms (B^2, B^3).
// f16/bf16 embeddings are computed in f32 (the 1e-12 clamp and the Gram-form distances need
// it). Composite; the angle term holds [B, B, B] (batch-level, as the reference).
#include "losses/distill/common.h"
#include "losses/distill/feature.h"

namespace lathe {

using namespace distill;

namespace {

Tensor smooth_l1(const Tensor& d) {
  Tensor a = abs(d);
  return where(lt(a, 1.0), d * d * 0.5, a - 0.5);
}

// Pairwise distances [B, B], zero diagonal, divided by their off-diagonal mean.
Tensor normalized_distances(const Tensor& e, const Tensor& off) {
  int64_t b = e.shape()[0];
  Tensor sq = sum(e * e, {1});                                            // [B]
  Tensor d2 = unsqueeze(sq, 1) + unsqueeze(sq, 0) - matmul(e, transpose(e, 0, 1)) * 2.0;
  Tensor d = sqrt(clamp(d2, 1e-12)) * off;                                // [B, B]
  return d / (sum(d) / double(b * (b - 1)));
}

// Cosines a_ijk of the normalized differences e_j - e_i and e_k - e_i [B, B, B].
Tensor angles(const Tensor& e) {
  Tensor diff = unsqueeze(e, 0) - unsqueeze(e, 1);                        // [B, B, D] e_j - e_i
  Tensor n = l2_normalize(diff, 2);                                       // [B, B, D]
  return matmul(n, transpose(n, 1, 2));                                   // [B, B, B]
}

}  // namespace

Tensor rkd_loss(const Tensor& student, const Tensor& teacher, const RkdOptions& o) {
  const char* op = "rkd_loss";
  check_floating(op, "student", student);
  LATHE_CHECK(student.dim() >= 1, "[", op, "] student must be [B, ...], got ", student.shape());
  int64_t b = student.shape()[0];
  LATHE_CHECK(b >= 2, "[", op, "] needs a batch of at least 2, got ", student.shape());
  Tensor s = widen(flatten_batch(op, "student", student, b));             // [B, D_s]
  Tensor t = widen(flatten_batch(op, "teacher", teacher, b)).detach();    // [B, D_t]
  Tensor eye = cast(eq(unsqueeze(arange(b, DType::i64, s.device()), 1),
                       unsqueeze(arange(b, DType::i64, s.device()), 0)), s.dtype());  // [B, B]
  Tensor off = 1.0 - eye;                                                 // [B, B]
  Tensor loss_d = mean(smooth_l1(normalized_distances(s, off) - normalized_distances(t, off)));
  Tensor mask = unsqueeze(off, 2) * unsqueeze(off, 1);                    // [B, B, B] j,k != i
  Tensor loss_a = mean(smooth_l1((angles(s) - angles(t)) * mask));
  return cast(loss_d * o.w_d + loss_a * o.w_a, student.dtype());
}

LATHE_REGISTER_OPS(rkd_loss) {
  registry.add(OpDef("rkd_loss", "distillation")
                   .summary("relational KD: w_d smooth-L1 of normalized pairwise distances + "
                            "w_a smooth-L1 of triplet angles")
                   .paper("Relational Knowledge Distillation")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<RkdOptions>()
                   .attr("w_d", &RkdOptions::w_d, "weight of the distance term")
                   .attr("w_a", &RkdOptions::w_a, "weight of the angle term")
                   .output("loss")
                   .own_reduction("batch-level: means over the B^2 distances and B^3 angles")
                   .run(rkd_loss));
}

}  // namespace lathe
