// swalip_loss: SwALIP's swapped-prediction term. Two views l of image and text embeddings,
// stacked h_img, h_txt [2, B, D], rows L2-normalized; logits[a][b] = h_img[a] h_txt[b]^T.
// The targets of view pair (a, b) come from the swapped pair (1 - a, 1 - b) by Sinkhorn-Knopp
// (no gradient): Q = exp(logits / eps)^T, Q /= sum Q, `iters` times {Q /= rowsum, /= K;
// Q /= colsum, /= B}, Q *= B, transposed back. With softCE(z, q) = -mean_i sum_j q_ij
// log_softmax(z_i)_j:
//   L = mean over the 4 pairs of (softCE(h lg[a][b], Q_img) + softCE(h lg[a][b]^T, Q_txt)) / 2
// Paper: "Improved baselines for vision-language pre-training" (SwALIP); code
// facebookresearch/clip-rocket losses.py SwALIPLoss, sinkhorn_knopp, as the catalog quotes it.
// Training adds 0.2 L to clip_contrastive_loss (the caller's weighting).
// Defaults: h_scale 10, eps 0.05, 3 iterations. Scalar.
// Sinkhorn runs in f64 (exp(1 / 0.05) = 4.9e8 is past f16's range) and carries no gradient.
// Gradients: autograd through the scaled logits; the targets depend on the same embeddings but
// are stop-gradient, so the gradient is not the value's derivative (.custom_backward; the
// oracle checks the gradients against PyTorch, the cases are not gradchecked).
#include "losses/contrastive/contrastive.h"
#include "losses/metric_learning/pairs.h"
#include "ops/composite.h"

namespace lathe {

namespace {
Tensor sinkhorn_knopp(const Tensor& logits, double eps, int64_t iters) {
  NoGradGuard no_grad;
  Tensor q = exp(cast(logits, DType::f64) / eps).t();  // [K, B]
  q = q / sum(q);
  const double k = double(q.size(0)), b = double(q.size(1));
  for (int64_t it = 0; it < iters; ++it) {
    q = q / sum(q, {1}, true) / k;
    q = q / sum(q, {0}, true) / b;
  }
  return cast((q * b).t(), logits.dtype());  // [B, K]
}

Tensor soft_ce(const Tensor& z, const Tensor& q) {
  return -mean(sum(q * log_softmax(z, 1), {1}));
}
}  // namespace

Tensor swalip_loss(const Tensor& h_img, const Tensor& h_txt, const SwalipLossOptions& o) {
  const char* op = "swalip_loss";
  pairs::check_embeddings(op, "h_img", h_img, 3);
  LATHE_CHECK(h_img.size(0) == 2, "[", op, "] h_img must stack 2 views [2, B, D], got ",
              h_img.shape());
  check_shape(op, "h_txt", h_txt, h_img.shape());
  pairs::check_positive(op, "eps", o.eps);
  Tensor lg[2][2];
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b)
      lg[a][b] = matmul(pairs::l2_normalize(h_img.select(0, a)),
                        pairs::l2_normalize(h_txt.select(0, b)).t());  // [B, B]
  Tensor total;
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b) {
      const Tensor& src = lg[1 - a][1 - b];
      Tensor term = 0.5 * (soft_ce(o.h_scale * lg[a][b], sinkhorn_knopp(src, o.eps, o.iters)) +
                           soft_ce(o.h_scale * lg[a][b].t(),
                                   sinkhorn_knopp(src.t(), o.eps, o.iters)));
      total = total.defined() ? total + term : term;
    }
  return total / 4.0;
}

LATHE_REGISTER_OPS(swalip_loss) {
  registry.add(OpDef("swalip_loss", "contrastive")
                   .summary("swapped prediction with Sinkhorn-Knopp targets across views (SwALIP)")
                   .paper("Improved baselines for vision-language pre-training")
                   .input("h_img")
                   .input("h_txt")
                   .options<SwalipLossOptions>()
                   .attr("h_scale", &SwalipLossOptions::h_scale, "the local logit scale")
                   .attr("eps", &SwalipLossOptions::eps, "Sinkhorn-Knopp temperature, > 0")
                   .attr("iters", &SwalipLossOptions::iters, "Sinkhorn-Knopp iterations")
                   .output("loss")
                   .custom_backward("the Sinkhorn-Knopp targets are stop-gradient (the "
                                    "reference's definition)")
                   .own_reduction("the mean over the 4 view pairs of two batch means")
                   .run(swalip_loss));
}

}  // namespace lathe
