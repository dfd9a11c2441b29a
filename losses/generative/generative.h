// The generative family of the loss catalog (catalog: generative.md): objectives of diffusion,
// flow, consistency, energy-based and GAN training and auxiliary losses of personalization and
// 3-D scene methods, each defined in losses/generative/<name>.cpp. Noise, timesteps and noise
// levels are inputs: no op samples anything, so every op is deterministic and gradcheckable.
// The catalog's three `procedure` entries (ict_consistency_loss, mee_regularizers,
// edge_consistency_loss) are the plain functions at the end of this header (not registered ops:
// they need the caller's networks); losses/generative/procedures.cpp defines them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace lathe {

// ---- P1 ----

struct RectifiedFlowLossOptions {
  std::string reduction = "mean";  // none | mean | sum over elements
};

// RAE's rectified-flow velocity loss (v_pred - (eps - x0))^2 of the model output v_pred
// at x_t = (1 - t) x0 + t eps (rectified_flow_path), x0/eps/v_pred of one shape
// (losses/generative/rectified_flow_loss.cpp).
Tensor rectified_flow_loss(const Tensor& input, const Tensor& x0, const Tensor& eps,
                           const RectifiedFlowLossOptions& options = {});
// x_t = (1 - t) x0 + t eps with t [B] (one time per sample, t = 1 pure noise) broadcast over
// the non-batch dims of x0 [B, ...]: the model input that goes with rectified_flow_loss.
Tensor rectified_flow_path(const Tensor& x0, const Tensor& eps, const Tensor& t);

struct DimTimestepShiftOptions {
  double m = 196608.0;      // effective latent dimension (RAE DINOv2-B at 256 px: 16*16*768)
  double n_base = 4096.0;   // the base dimension
};

// RAE's dimension-dependent shift t' = a t / (1 + (a - 1) t), a = sqrt(m / n_base) >= 1,
// elementwise on times t in [0, 1] (losses/generative/dim_timestep_shift.cpp).
Tensor dim_timestep_shift(const Tensor& t, const DimTimestepShiftOptions& options = {});

struct AdcGanClassifierLossOptions {
  std::string role = "discriminator";  // discriminator | generator
  double lam = 1.0;                    // lambda_D or lambda_G
  Tensor real_input;                   // [B_r, 2K] C(x_real): the discriminator role only
  Tensor real_target;                  // [B_r] class indices of the real batch
};

// ADC-GAN's auxiliary discriminative classifier on 2K outputs (real class y -> 2y, fake -> 2y+1):
// discriminator lam [CE(C(x_r), 2y_r) + CE(C(G(z)), 2y_f + 1)], generator lam [CE(C(G(z)), 2y_f)
// - CE(C(G(z)), 2y_f + 1)], fake logits input [B, 2K] and classes target [B]
// (losses/generative/adc_gan_classifier_loss.cpp).
Tensor adc_gan_classifier_loss(const Tensor& input, const Tensor& target,
                               const AdcGanClassifierLossOptions& options = {});

struct SemanticPreservationLossOptions {
  double eps = 1e-8;               // the cosine's norm floor (F.cosine_similarity)
  std::string reduction = "mean";  // none | mean | sum over concepts
};

// ClassDiffusion's SPL 1 - cos(e_personal, e_class) of pooled text embeddings [..., D], one
// per concept (losses/generative/semantic_preservation_loss.cpp).
Tensor semantic_preservation_loss(const Tensor& input, const Tensor& target,
                                  const SemanticPreservationLossOptions& options = {});

struct SemanticConsistencyLossOptions {
  double lam = 0.2;                // lambda (lambda_0 for the coarse network)
  std::string form = "code";       // code: -lam cos | paper: lam (1 - cos)
  double eps = 1e-8;               // the cosine's norm floor
  std::string reduction = "mean";  // none | mean | sum over target-render pairs
};

// DietNeRF's semantic consistency of the rendered view's CLIP embedding input [..., D] with the
// observed view's target [..., D] (detached) (losses/generative/semantic_consistency_loss.cpp).
Tensor semantic_consistency_loss(const Tensor& input, const Tensor& target,
                                 const SemanticConsistencyLossOptions& options = {});

// ---- P2 ----

struct DdpmEpsLossOptions {
  double margin = 0.1;  // the triplet margin (diff_flag 1)
  Tensor negative;      // optional eps_hat^- of the swapped residuals, input's shape
};

// Noise-DA's noise-space loss: MSE(eps_hat, eps), and with a negative prediction
// (MSE + relu(MSE - MSE(eps_hat^-, eps) + margin)) / 2 (losses/generative/ddpm_eps_loss.cpp).
Tensor ddpm_eps_loss(const Tensor& input, const Tensor& target,
                     const DdpmEpsLossOptions& options = {});
// Noise-DA's ramp of the noise-space weight: (2 / (1 + e^{-5p}) - 1) diff_weight,
// p = min(epoch / ctrl_epoch, 1).
double noise_da_alpha(double epoch, double ctrl_epoch, double diff_weight = 0.2);

struct CompositionalNllOptions {
  double beta = 0.1;  // moving-average rate of u (1: the plain estimate)
};

struct CompositionalNllResult {
  Tensor loss;   // [] surrogate mean E(x) + g_hat / sg(u)
  Tensor log_u;  // [] the updated state log u
};

// MECO's compositional NLL surrogate of an energy model: energies of the data e_data [N], of
// the noise samples e_noise [M], their noise log-densities log_q [M] and the state log_u []
// (-inf: no estimate yet) (losses/generative/compositional_nll.cpp).
CompositionalNllResult compositional_nll(const Tensor& e_data, const Tensor& e_noise,
                                         const Tensor& log_q, const Tensor& log_u,
                                         const CompositionalNllOptions& options = {});

struct MamSelfConsistencyLossOptions {
  int64_t num_vars = 0;  // D: 0 gives the plain penalty mean r^2, else D mean r^2 (+ empty term)
  Tensor logp_empty;     // optional log p_theta(empty set), pinned to 0 by its squared mean
};

// MaM's self-consistency penalty mean_b r^2, r = log p(x_{<d}) + log p(x_d | x_{<d}) -
// log p(x_{<=d}), all [B] (losses/generative/mam_self_consistency_loss.cpp).
Tensor mam_self_consistency_loss(const Tensor& logp_prefix, const Tensor& logp_cond,
                                 const Tensor& logp_extended,
                                 const MamSelfConsistencyLossOptions& options = {});

struct MultiplicativeDsmLossOptions {
  std::string reduction = "mean";  // none | mean | sum over samples
};

// Multiplicative (GBM) denoising score matching |x~ (s - grad log p(x~|x))|^2 summed per sample,
// score input s(x~) [B, ...], clean positive data x, noise eps, levels sigma broadcast to x
// (losses/generative/multiplicative_dsm_loss.cpp).
Tensor multiplicative_dsm_loss(const Tensor& input, const Tensor& x, const Tensor& eps,
                               const Tensor& sigma,
                               const MultiplicativeDsmLossOptions& options = {});
// x~ = x exp(sigma eps - sigma^2 / 2): the model input that goes with multiplicative_dsm_loss.
Tensor multiplicative_perturb(const Tensor& x, const Tensor& eps, const Tensor& sigma);

struct SemanticBindingNoiseLossOptions {
  std::string reduction = "mean";  // none | mean | sum over elements
};

// ToMe's semantic binding loss MSE(eps(z_t, LN(s)), sg eps(z_t, LN(e_phrase)))
// (losses/generative/semantic_binding_noise_loss.cpp).
Tensor semantic_binding_noise_loss(const Tensor& input, const Tensor& target,
                                   const SemanticBindingNoiseLossOptions& options = {});

struct AttentionRefocusingLossOptions {
  double weight = 2.5;            // the second phase's attn_loss weight
  std::string reduction = "sum";  // none | mean | sum over samples (the reference sums)
};

// MagiCapture's attention refocusing: token maps input [B, K, L, h, w] resized bilinearly to
// the masks target [B, K, H, W], min-max normalized with detached constants, set to 1 inside the
// mask, weight mean_{k,pixels}(mean_L map - M)^2 per sample
// (losses/generative/attention_refocusing_loss.cpp).
Tensor attention_refocusing_loss(const Tensor& input, const Tensor& target,
                                 const AttentionRefocusingLossOptions& options = {});

struct OccsdfFeatureRenderLossOptions {
  double lam_dec = 1.0;            // decode_rgb_weight (decode-then-render term)
  std::string reduction = "mean";  // none | mean | sum over rays and channels
};

// Occ-SDF Hybrid's feature rendering loss |dec(sum_i w_i f_i) - c| + lam_dec |sum_i w_i dec(f_i)
// - c| with volume-rendering weights of densities sigma [R, S] at depths z_vals [R, S],
// features [R, S, F], decoder dec(f) = 0.5 tanh(f W^T + b) + 0.5 (W [3, F], b [3]), colours
// target [R, 3] (losses/generative/occsdf_feature_render_loss.cpp).
Tensor occsdf_feature_render_loss(const Tensor& sigma, const Tensor& z_vals,
                                  const Tensor& feats, const Tensor& dec_w, const Tensor& dec_b,
                                  const Tensor& target,
                                  const OccsdfFeatureRenderLossOptions& options = {});

// ---- procedures (catalog kind `procedure`): functions, not registered ops ----

// iCT (Song & Dhariwal, "Improved Techniques for Training Consistency Models", ICLR 2024; no
// official code, ported from the third-party Kinyugo/consistency_models).
struct IctConsistencyOptions {
  std::string variant = "norm";  // norm: per-sample pseudo-Huber | elementwise (the port's)
  double c = -1.0;               // pseudo-Huber c; < 0: 0.00054 sqrt(d), d = elements per sample
};
// mean_b lambda_b d(student_b, sg teacher_b), lambda = 1 / (sigma_next - sigma_i), with
// student = f(x + sigma_next z, sigma_next) and teacher = f(x + sigma_i z, sigma_i) (same z; the
// teacher is the current network, detached here) [B, ...], sigma_i/sigma_next [B].
Tensor ict_consistency_loss(const Tensor& student, const Tensor& teacher, const Tensor& sigma_i,
                            const Tensor& sigma_next, const IctConsistencyOptions& options = {});
// N(k) = min(s0 2^floor(k / K'), s1) + 1, K' = floor(K / (log2 floor(s1 / s0) + 1)).
int64_t ict_num_steps(int64_t k, int64_t total_steps, int64_t s0 = 10, int64_t s1 = 1280);
// The Karras schedule of n levels (sigma_min^(1/rho) + i/(n-1) (sigma_max^(1/rho) -
// sigma_min^(1/rho)))^rho, increasing, as f64 values.
std::vector<double> ict_karras_sigmas(int64_t n, double sigma_min = 0.002, double sigma_max = 80.0,
                                      double rho = 7.0);
// The lognormal index distribution over the n - 1 intervals of `sigmas`:
// p_i ∝ erf((log s_{i+1} - P_mean) / (sqrt2 P_std)) - erf((log s_i - P_mean) / (sqrt2 P_std)).
std::vector<double> ict_sigma_probs(const std::vector<double>& sigmas, double p_mean = -1.1,
                                    double p_std = 2.0);

// MEE (HaozheLiu-ST/MEE train.py), terms of the discriminator embedding d(x) [B, E].
// -lam log(mean_i min_k mean_e (z_ie - buf_kie)^2 + eps) of a batch z [B, E] against a replay
// buffer buf [K, B, E] (sample i meets slot i of each stored batch, as the reference).
Tensor mee_entropy_loss(const Tensor& z, const Tensor& buffer, double lam = 1.0,
                        double eps = 1e-12);
// The buffer after storing batch z: the last `capacity` batches, oldest first (the reference's
// cat(buf[B:], z) shrinks to one batch; lathe keeps the capacity, see procedures.cpp).
Tensor mee_update_buffer(const Tensor& buffer, const Tensor& z, int64_t capacity = 16);
// DLLE: MSE(d_real, sg d_real_aug) + MSE(d_fake, sg d_fake_aug).
Tensor mee_dlle_loss(const Tensor& d_real, const Tensor& d_real_aug, const Tensor& d_fake,
                     const Tensor& d_fake_aug);
// DIsoMap: MSE(d_mix, sg(alpha d_real + (1 - alpha) d_fake + noise)), alpha [B] (N(0, 1) in
// the reference) broadcast over E, noise [B, E] (N(0, 0.05^2)); d_mix = d(alpha x_r +
// (1 - alpha) x_f) is the caller's.
Tensor mee_isomap_loss(const Tensor& d_mix, const Tensor& d_real, const Tensor& d_fake,
                       const Tensor& alpha, const Tensor& noise);
// The linear ramp lambda_t = min(epoch / ramp_epochs, 1) (entropy_lr over 100 epochs).
double mee_entropy_weight(double epoch, double ramp_epochs = 100.0);

// Dark Side Augmentation (mohwald/gandtr, HED^N-GAN). Generator term w_edge mean|E_S(G(x)) -
// sg E_T(x)| on sigmoid edge maps (any equal shapes).
Tensor edge_consistency_loss(const Tensor& edges_fake, const Tensor& edges_real,
                             double w_edge = 5.0);
// Detector step w_hed (mean|E_S(x) - sg E_T(x)| + mean|E_S(sg G(x)) - sg E_T(x)|) on pre-sigmoid
// maps.
Tensor edge_detector_distill_loss(const Tensor& student_real, const Tensor& student_fake,
                                  const Tensor& teacher_real, double w_hed = 1.0);

}  // namespace lathe
