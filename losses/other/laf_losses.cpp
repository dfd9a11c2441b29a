// laf_losses: the loss parts of LAF, label-agnostic forgetting (a procedure: these functions,
// run in the order below by the caller; tests/losses/other_procedures_test.cpp runs them on a
// tiny model). With e = fc1(backbone(x)) the model's representations (no labels used):
//  1. two VAEs on representations (model frozen), one on the remaining data, one on the
//     forgetting data: laf_vae_loss = sum|e_hat - e|^2 / B + 0.025 KLD / B,
//     KLD = -1/2 sum(log(sigma^2 + 1e-8) + 1 - mu^2 - sigma^2); Adam lr 1e-3, 10 epochs;
//  2. representation unlearning (model parameters only, VAEs fixed but sampling):
//     laf_unlearn_loss = nmse(VAE_r(e_r), e_r) - nmse(VAE_f(e_f), e_f),
//     nmse(e_hat, e) = sum_b exp(m_b / (m_b + 1)), m_b = sum_d (e_hat_bd - e_bd)^2;
//  3. representation alignment with the frozen original model as teacher, on the same pair of
//     minibatches, embeddings recomputed: laf_align_loss = sum_i log(exp(c_i) / sum_j
//     exp(u_j / tau)), c_i = 1 - cos(e_r,i, teacher), u_j = 1 - cos(e_f,j, teacher).
// Paper: "Label-Agnostic Forgetting: A Supervision-Free Unlearning in Deep Models" (Shen et
// al., ICLR 2024); code ShaofeiShen768/LAF VUnlearning.py, Train.py (catalog: other.md).
// Defaults: kl_weight 0.025, tau 20 (5 in some scenarios of hyperparameter.md). Sums over the
// batch as the code writes them (not means). Teachers are detached. Composites (autograd).
#include "losses/other/other.h"
#include "ops/composite.h"

namespace lathe {

namespace {

void check_rows(const char* op, const char* a_name, const Tensor& a, const char* b_name,
                const Tensor& b) {
  check_floating(op, a_name, a);
  check_floating(op, b_name, b);
  check_dim(op, a_name, a, 2);
  check_same_shape(op, a_name, a, b_name, b);
}

}  // namespace

Tensor laf_vae_loss(const Tensor& e_hat, const Tensor& e, const Tensor& mu, const Tensor& sigma,
                    double kl_weight) {
  const char* op = "laf_vae_loss";
  check_rows(op, "e_hat", e_hat, "e", e);
  check_rows(op, "mu", mu, "sigma", sigma);
  LATHE_CHECK(mu.shape()[0] == e.shape()[0], "[", op, "] mu ", mu.shape(),
              " must have one row per representation ", e.shape());
  double B = static_cast<double>(e.shape()[0]);
  Tensor d = e_hat - e;                                               // [B, D]
  Tensor s2 = sigma * sigma;                                          // [B, z]
  Tensor kld = -0.5 * sum(log(s2 + 1e-8) + 1.0 - mu * mu - s2);       // []
  return sum(d * d) / B + kl_weight * kld / B;
}

Tensor laf_nmse(const Tensor& e_hat, const Tensor& e) {
  check_rows("laf_nmse", "e_hat", e_hat, "e", e);
  Tensor d = e_hat - e;                                               // [B, D]
  Tensor m = sum(d * d, {1});                                         // [B]
  return sum(exp(m / (m + 1.0)));
}

Tensor laf_unlearn_loss(const Tensor& e_hat_r, const Tensor& e_r, const Tensor& e_hat_f,
                        const Tensor& e_f) {
  return laf_nmse(e_hat_r, e_r) - laf_nmse(e_hat_f, e_f);
}

Tensor laf_align_loss(const Tensor& e_r, const Tensor& e_r_teacher, const Tensor& e_f,
                      const Tensor& e_f_teacher, double tau) {
  const char* op = "laf_align_loss";
  check_rows(op, "e_r", e_r, "e_r_teacher", e_r_teacher);
  check_rows(op, "e_f", e_f, "e_f_teacher", e_f_teacher);
  LATHE_CHECK(tau > 0, "[", op, "] tau must be > 0, got ", tau);
  LATHE_CHECK(e_f.shape()[0] > 0, "[", op, "] needs at least one forgetting sample");
  Tensor c = 1.0 - cosine_similarity(e_r, e_r_teacher.detach(), 1);  // [Br]
  Tensor u = 1.0 - cosine_similarity(e_f, e_f_teacher.detach(), 1);  // [Bf]
  // log(exp(c_i) / sum_j exp(u_j / tau)) = c_i - logsumexp(u / tau)
  Tensor lse = logsumexp(u / tau, {0});                               // []
  return sum(c - lse);
}

}  // namespace lathe
