// pkt_loss: probabilistic knowledge transfer, student features s [B, ...] and teacher
// features t [B, ...] (flattened; the teacher detached):
//   x_i / (||x_i|| + eps),  K = (x x^T + 1) / 2 (cosine kernel in [0, 1]),
//   P = K / rowsum(K) for each side,  L = mean_{i,j} P^t_ij log((P^t_ij + eps) / (P^s_ij + eps)).
// Paper: "Learning Deep Representations with Probabilistic Knowledge Transfer" (Passalis,
// Tefas, ECCV 2018), https://arxiv.org/abs/1803.10837; code passalis/probabilistic_kt,
// RepDistiller distiller_zoo/PKT.py (eps 1e-7).
// NOTE: the reference adds eps to the norm (not F.normalize's max) and zeroes NaN rows of the
// normalized features (a zero row gives 0 / eps = 0 here, already finite). The mean runs over
// all B^2 entries, diagonal included, as the reference. Defaults: eps 1e-7. Composite.
#include "losses/distill/common.h"
#include "losses/distill/feature.h"

namespace lathe {

using namespace distill;

Tensor pkt_loss(const Tensor& student, const Tensor& teacher, const PktOptions& o) {
  const char* op = "pkt_loss";
  check_floating(op, "student", student);
  LATHE_CHECK(student.dim() >= 1, "[", op, "] student must be [B, ...], got ", student.shape());
  LATHE_CHECK(o.eps > 0, "[", op, "] eps must be positive, got ", o.eps);
  int64_t b = student.shape()[0];
  auto conditional = [&](const Tensor& x) {
    Tensor n = x / (sqrt(sum(x * x, {1}, true)) + o.eps);                 // [B, D]
    Tensor k = (matmul(n, transpose(n, 0, 1)) + 1.0) * 0.5;               // [B, B]
    return k / sum(k, {1}, true);                                         // [B, B]
  };
  Tensor ps = conditional(flatten_batch(op, "student", student, b));
  Tensor pt = conditional(flatten_batch(op, "teacher", teacher, b).detach());
  return mean(pt * log((pt + o.eps) / (ps + o.eps)));
}

LATHE_REGISTER_OPS(pkt_loss) {
  registry.add(OpDef("pkt_loss", "distillation")
                   .summary("KL between the cosine-kernel conditional distributions of student "
                            "and teacher features")
                   .paper("Learning Deep Representations with Probabilistic Knowledge Transfer")
                   .input("student")
                   .input("teacher", Kind::floating, kNoGrad)
                   .options<PktOptions>()
                   .attr("eps", &PktOptions::eps, "added to the norms and inside the log")
                   .output("loss")
                   .own_reduction("batch-level: mean over the B^2 kernel entries")
                   .run(pkt_loss));
}

}  // namespace lathe
