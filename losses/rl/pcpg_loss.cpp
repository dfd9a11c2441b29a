// pcpg_loss: the pseudo-convolutional policy gradient (PCPG) of sequence-to-sequence
// lip-reading: REINFORCE in which both the per-step rewards r_t and the per-step
// log-likelihoods log pi_t are smoothed along time by one fixed kernel K (odd width W,
// zero padding, cross-correlation as F.conv1d):
//   l_b = -sum_t (K * r_b)_t (K * log pi_b)_t           logp, rewards [B, T], kernel [W]
// one loss per sample, reduced 'mean' over the batch (default), 'sum' or 'none'. The rewards
// and the kernel are constants (detached); the paper mixes this loss with the cross-entropy
// of the ground truth, which the caller adds with its own weight.
// Paper: "Pseudo-Convolutional Policy Gradient for Sequence-to-Sequence Lip-Reading" (Luo,
// Yang, Shan, Chen, FG 2020) (catalog: rl_alignment.md, confidence 'memory').
// Checked (Dec 2026): no code by the authors in the code index; the abstract describes "a
// pseudo-convolutional operation on the reward and loss dimension, so as to take more context
// around each time step into account" with the character error rate as the reward, which is
// what this computes. The kernel's size and weights (the catalog remembers a Gaussian window)
// and the CE mixing weight were not recovered, so the kernel is a required input.
// The smoothing is a banded [T, T] matrix built on the host from the kernel (a kernel wider
// than the sequence is truncated at both ends): (K * v) = v M^T, M_ts = K[s - t + W/2].
// Composite.
#include "losses/rl/rl.h"
#include "ops/composite.h"

namespace lathe {

Tensor pcpg_loss(const Tensor& logp, const Tensor& rewards, const Tensor& kernel,
                 const PcpgLossOptions& o) {
  const char* op = "pcpg_loss";
  check_floating(op, "logp", logp);
  check_dim(op, "logp", logp, 2);
  check_floating(op, "rewards", rewards);
  check_same_shape(op, "logp", logp, "rewards", rewards);
  check_floating(op, "kernel", kernel);
  check_dim(op, "kernel", kernel, 1);
  Reduction r = parse_reduction(op, o.reduction);
  const int64_t T = logp.shape()[1], W = kernel.shape()[0], pad = W / 2;
  LATHE_CHECK(W % 2 == 1, "[", op, "] kernel width must be odd, got ", W);
  std::vector<double> k = cast(kernel.detach(), DType::f64).to_vector<double>();
  std::vector<double> band(static_cast<size_t>(T * T), 0.0);
  for (int64_t t = 0; t < T; ++t)
    for (int64_t s = std::max<int64_t>(0, t - pad); s < std::min(T, t + pad + 1); ++s)
      band[t * T + s] = k[s - t + pad];
  Tensor mt = transpose(from_vector(band, {T, T}, DType::f64, logp.device()), 0, 1);  // [T, T]
  mt = cast(mt, logp.dtype());
  Tensor smooth_r = matmul(rewards.detach(), mt);                       // [B, T]
  Tensor smooth_logp = matmul(logp, mt);                                // [B, T]
  return apply_reduction(-sum(smooth_r * smooth_logp, {1}), r);         // [B] -> r
}

LATHE_REGISTER_OPS(pcpg_loss) {
  using O = PcpgLossOptions;
  registry.add(OpDef("pcpg_loss", "rl_alignment")
                   .summary("pseudo-convolutional policy gradient: REINFORCE with rewards and "
                            "log-likelihoods smoothed along time by a fixed kernel")
                   .paper("Pseudo-Convolutional Policy Gradient for Sequence-to-Sequence "
                          "Lip-Reading")
                   .input("logp")
                   .input("rewards", Kind::floating, kNoGrad)
                   .input("kernel", Kind::floating, kNoGrad)
                   .options<O>()
                   .attr("reduction", &O::reduction, "none | mean | sum over samples")
                   .output("loss")
                   .run(pcpg_loss));
}

}  // namespace lathe
