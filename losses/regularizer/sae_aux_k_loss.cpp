// sae_aux_k_loss: the auxiliary loss that revives dead latents of a TopK sparse autoencoder.
// Inputs x, x_hat [B, D] (x_hat the main reconstruction), pre-activations pre [B, N], decoder
// w_dec [D, N]; state: counter [N], steps since each latent was last active (whole numbers in
// any dtype: the registry's states are floating; f32 counts exactly up to 2^24 steps).
//   1. counter <- 0 for latents active this step (among a token's main top-k, main_idx and
//      main_vals [B, k], with a value > active_threshold), then counter += 1;
//   2. dead_j = counter_j > dead_tokens / B (integer division, the reference's steps);
//   3. z_aux = relu(top-k_aux of pre * dead) (scattered back to [B, N]), e_hat = z_aux w_dec^T,
//      e = x - sg(x_hat),
//   L = mean((e_hat - e)^2) / mean((mean_b e - e)^2),   NaN (0/0) replaced by 0.
// Training adds alpha L (alpha 1/32) to the scaled main MSE: the caller's sum.
// Papers: "Adaptive Sparse Allocation with Mutual Choice & Feature Choice Sparse Autoencoders"
// (which uses it); "Scaling and evaluating sparse autoencoders" (Gao et al.; catalog:
// regularizer.md, official code openai/sparse_autoencoder train.py FastAutoencoder,
// kernels.py normalized_mse). Defaults: k_aux 256 (Config.auxk), dead_tokens 10M
// (dead_toks_threshold), active_threshold 1e-3.
// NOTE: the reference adds b_pre to e_hat and to e, which cancels in value (and sends a
// gradient into b_pre); lathe takes the residual as given. k_aux > N selects every latent
// (torch.topk would raise). The selection is fixed (no gradient through the top-k): the
// gradient reaches the selected dead entries of pre (relu > 0) and w_dec.
// Reduction: a ratio of batch means (a scalar by definition).
// Composite (the selection and the counter on the host).
#include <algorithm>
#include <numeric>

#include "losses/regularizer/regularizer_extra.h"
#include "ops/composite.h"

namespace lathe {

SaeAuxKResult sae_aux_k_loss(const Tensor& x, const Tensor& x_hat, const Tensor& pre,
                             const Tensor& w_dec, const Tensor& main_idx,
                             const Tensor& main_vals, const Tensor& counter,
                             const SaeAuxKLossOptions& o) {
  const char* op = "sae_aux_k_loss";
  check_floating(op, "x", x);
  check_dim(op, "x", x, 2);
  check_same_shape(op, "x", x, "x_hat", x_hat);
  check_floating(op, "pre", pre);
  check_dim(op, "pre", pre, 2);
  const int64_t b = x.size(0), d = x.size(1), n = pre.size(1);
  LATHE_CHECK(pre.size(0) == b, "[", op, "] pre must be [", b, ", N], got ", pre.shape());
  check_shape(op, "w_dec", w_dec, {d, n});
  LATHE_CHECK(main_idx.defined() && is_integral(main_idx.dtype()) && main_idx.dim() == 2 &&
                  main_idx.size(0) == b,
              "[", op, "] main_idx must be integers [", b, ", k], got ",
              main_idx.defined() ? main_idx.shape() : Shape{});
  check_shape(op, "main_vals", main_vals, main_idx.shape());
  LATHE_CHECK(counter.defined() && counter.shape() == Shape{n}, "[", op,
              "] counter must be [", n, "], got ", counter.defined() ? counter.shape() : Shape{});
  LATHE_CHECK(o.k_aux >= 1, "[", op, "] k_aux must be >= 1, got ", o.k_aux);
  LATHE_CHECK(o.dead_tokens >= 0, "[", op, "] dead_tokens must be >= 0, got ", o.dead_tokens);

  // 1-2. the counter and the dead mask (host: integers and a selection)
  std::vector<double> cnt = counter.to(DType::f64).to_vector<double>();
  std::vector<int64_t> idx = main_idx.to(DType::i64).to_vector<int64_t>();
  std::vector<double> val = main_vals.to(DType::f64).to_vector<double>();
  std::vector<bool> active(n, false);
  for (size_t i = 0; i < idx.size(); ++i) {
    LATHE_CHECK(idx[i] >= 0 && idx[i] < n, "[", op, "] main_idx ", idx[i], " out of range [0, ",
                n, ")");
    if (val[i] > o.active_threshold) active[idx[i]] = true;
  }
  const int64_t dead_steps = o.dead_tokens / b;
  std::vector<double> dead(n);
  for (int64_t j = 0; j < n; ++j) {
    cnt[j] = (active[j] ? 0 : cnt[j]) + 1;
    dead[j] = cnt[j] > static_cast<double>(dead_steps) ? 1.0 : 0.0;
  }
  Tensor new_counter = from_vector(cnt, {n}, DType::f64, pre.device()).to(counter.dtype());
  Tensor dead_t = from_vector(dead, {n}, pre.dtype(), pre.device());
  // 3. top-k_aux of the dead-masked pre-activations, per row (ties: the lower index first)
  Tensor masked = pre * dead_t;                                            // [B, N]
  std::vector<double> mv = masked.detach().to(DType::f64).to_vector<double>();
  const int64_t k = std::min(o.k_aux, n);
  std::vector<int64_t> sel(b * k), order(n);
  for (int64_t r = 0; r < b; ++r) {
    std::iota(order.begin(), order.end(), 0);
    const double* row = mv.data() + r * n;
    std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int64_t p, int64_t q) {
      return row[p] > row[q] || (row[p] == row[q] && p < q);
    });
    std::copy(order.begin(), order.begin() + k, sel.begin() + r * k);
  }
  Tensor sel_t = from_vector(sel, {b, k}, pre.device());                  // [B, k]
  Tensor z = relu(gather(masked, sel_t, 1));                              // [B, k]
  Tensor wsel = reshape(index_select(w_dec.t(), reshape(sel_t, {b * k}), 0), {b, k, d});
  Tensor e_hat = sum(unsqueeze(z, 2) * wsel, {1});                        // [B, D]
  Tensor e = (x - x_hat).detach();                                        // [B, D]
  Tensor num = mean((e_hat - e) * (e_hat - e));                           // []
  Tensor dev = mean(e, {0}, true) - e;                                    // [B, D]
  Tensor den = mean(dev * dev);                                           // []
  // 0/0 (no dead latent with a zero residual, or a constant residual) -> 0, as nan_to_num
  Tensor ok = gt(den, 0.0);
  Tensor loss = where(ok, num / where(ok, den, 1.0), 0.0 * num);
  return {loss, new_counter};
}

LATHE_REGISTER_OPS(sae_aux_k_loss) {
  using O = SaeAuxKLossOptions;
  registry.add(OpDef("sae_aux_k_loss", "regularizer")
                   .summary("TopK SAE's aux-k loss: the residual reconstructed from the top "
                            "dead latents, normalized (dead counter in and out)")
                   .paper("Adaptive Sparse Allocation with Mutual Choice & Feature Choice "
                          "Sparse Autoencoders; Scaling and evaluating sparse autoencoders")
                   .input("x", Kind::floating, kNoGrad)
                   .input("x_hat", Kind::floating, kNoGrad)
                   .input("pre")
                   .input("w_dec")
                   .input("main_idx", Kind::integer)
                   .input("main_vals", Kind::floating, kNoGrad)
                   .output("loss")
                   .state("counter")
                   .options<O>()
                   .attr("k_aux", &O::k_aux, "latents the auxiliary reconstruction may use")
                   .attr("dead_tokens", &O::dead_tokens,
                         "idle tokens before a latent is dead (steps: dead_tokens / B)")
                   .attr("active_threshold", &O::active_threshold,
                         "a main top-k value above it marks its latent active")
                   .own_reduction("a ratio of batch means (normalized MSE)")
                   .run([](const OpCall& c) {
                     SaeAuxKResult r = sae_aux_k_loss(
                         c.in("x"), c.in("x_hat"), c.in("pre"), c.in("w_dec"), c.in("main_idx"),
                         c.in("main_vals"), c.in("counter"), c.options<O>());
                     return Outputs{r.loss, r.counter};
                   }));
}

}  // namespace lathe
