// fod_losses: the loss parts of FOD, intra- and inter-correlation learning for image anomaly
// detection (a procedure: the transformer that yields attentions and targets is the caller's;
// tests/losses/other_procedures_test.cpp runs one step on a tiny model).
//  - target correlation per head and query patch i on a w x w grid, from the projection s of
//    the query (2 values per head): sigma = 3^(sigmoid(5 s) + 1e-5) - 1,
//    T_ij = exp(-dy_ij^2 / (2 s1^2) - dx_ij^2 / (2 s2^2)) / (2 pi s1 s2), row-normalized;
//  - kl(p, q) = mean_heads sum_j p (log(p + 1e-4) - log(q + 1e-4)),
//    ent(p) = mean_heads sum_j -p log(p + 1e-4);
//  - per layer, averaged over the layers: L1 = mean[kl(sg T, A) + kl(A, sg T)] (moves A),
//    L2 = mean[kl(T, sg A) + kl(sg A, T)] (moves sigma), Ent = mean[ent(A)];
//    L_rec = MSE(out, in) + mean(1 - cos(out, in)) over the last dim;
//  - loss1 = L_rec + lam1 L2_intra - lam1 L2_inter,
//    loss2 = L_rec - lam1 L1_intra - lam2 Ent_intra + lam1 L1_inter + lam2 Ent_inter;
//    loss1.backward(retain_graph), loss2.backward(), one optimizer step.
// Paper: "Focus the Discrepancy: Intra- and Inter-Correlation Learning for Image Anomaly
// Detection" (FOD); code xcyao00/FOD trainer.py, losses.py (catalog: other.md). Checked in
// trainer.py: the per-layer sums are divided by the number of layers, the targets normalized
// by their row sums, and the two backward passes accumulate before one Adam step. Attentions
// and targets may carry leading batch dims: [..., h, L, L]. Composites (autograd).
#include <cmath>

#include "losses/other/other.h"
#include "ops/composite.h"

namespace lathe {

Tensor fod_rbf_target(const Tensor& s, int64_t w) {
  const char* op = "fod_rbf_target";
  check_floating(op, "s", s);
  LATHE_CHECK(w >= 1, "[", op, "] grid width must be >= 1, got ", w);
  LATHE_CHECK(s.dim() >= 2 && s.shape().back() == 2 && s.shape()[s.dim() - 2] == w * w, "[",
              op, "] s must be [..., L = w^2 = ", w * w, ", 2], got ", s.shape());
  int64_t L = w * w;
  std::vector<double> dy(L * L), dx(L * L);
  for (int64_t i = 0; i < L; ++i)
    for (int64_t j = 0; j < L; ++j) {
      double ry = static_cast<double>(i / w - j / w), rx = static_cast<double>(i % w - j % w);
      dy[i * L + j] = ry * ry;
      dx[i * L + j] = rx * rx;
    }
  Tensor dy2 = from_vector(dy, {L, L}, s.dtype(), s.device());       // [L, L]
  Tensor dx2 = from_vector(dx, {L, L}, s.dtype(), s.device());       // [L, L]
  Tensor sig = exp((sigmoid(5.0 * s) + 1e-5) * std::log(3.0)) - 1.0;  // [..., L, 2]
  Tensor s1 = narrow(sig, -1, 0, 1), s2 = narrow(sig, -1, 1, 1);      // [..., L, 1]
  Tensor t = exp(-dy2 / (2.0 * s1 * s1) - dx2 / (2.0 * s2 * s2)) /
             (2.0 * M_PI * s1 * s2);                                  // [..., L, L]
  return t / sum(t, {-1}, true);
}

Tensor fod_kl(const Tensor& p, const Tensor& q) {
  Tensor k = sum(p * (log(p + 1e-4) - log(q + 1e-4)), {-1});          // [..., h, L]
  return mean(k, {-2});                                               // [..., L]
}

Tensor fod_entropy(const Tensor& p) {
  return mean(sum(-p * log(p + 1e-4), {-1}), {-2});                  // [..., L]
}

Tensor fod_recon_loss(const Tensor& out, const Tensor& in) {
  const char* op = "fod_recon_loss";
  check_floating(op, "out", out);
  check_floating(op, "in", in);
  check_same_shape(op, "out", out, "in", in);
  Tensor d = out - in;
  return mean(d * d) + mean(1.0 - cosine_similarity(out, in, -1));
}

FodLosses fod_losses(const Tensor& recon_loss, const std::vector<FodLayer>& intra,
                     const std::vector<FodLayer>& inter, double lam1, double lam2) {
  const char* op = "fod_losses";
  LATHE_CHECK(!intra.empty() || !inter.empty(), "[", op, "] needs intra or inter layers");
  // (L1, L2, Ent) averaged over the layers of one branch.
  auto branch = [&](const std::vector<FodLayer>& layers) {
    std::vector<Tensor> l1, l2, ent;
    for (const FodLayer& layer : layers) {
      check_same_shape(op, "attn", layer.attn, "target", layer.target);
      Tensor a = layer.attn, t = layer.target;
      l1.push_back(mean(fod_kl(t.detach(), a)) + mean(fod_kl(a, t.detach())));
      l2.push_back(mean(fod_kl(t, a.detach())) + mean(fod_kl(a.detach(), t)));
      ent.push_back(mean(fod_entropy(a)));
    }
    double n = static_cast<double>(layers.size());
    return std::vector<Tensor>{sum(stack(l1)) / n, sum(stack(l2)) / n, sum(stack(ent)) / n};
  };
  Tensor loss1 = recon_loss, loss2 = recon_loss;
  if (!intra.empty()) {
    std::vector<Tensor> b = branch(intra);
    loss1 = loss1 + lam1 * b[1];
    loss2 = loss2 - lam1 * b[0] - lam2 * b[2];
  }
  if (!inter.empty()) {
    std::vector<Tensor> b = branch(inter);
    loss1 = loss1 - lam1 * b[1];
    loss2 = loss2 + lam1 * b[0] + lam2 * b[2];
  }
  return {loss1, loss2};
}

}  // namespace lathe
