// Module forms of the layer family (ops/layer/layer.h has the functional ops they call).
// Parameter names follow the reference PyTorch modules, so state dicts line up with theirs.
//
//   nn::HyperbolicMLR head(64, 2);            // Hyp-OC: a_vals, p_vals [2, 64]
//   Tensor logits = head(ball_points);         // [N, 2]
//   nn::AdvStyle style(16);                    // s_mu, s_sigma [1, 16, 1, 1], set lazily
//   Tensor y = style(feature_map);             // training: restyled; eval: identity
#pragma once

#include <cstdint>
#include <memory>

#include "core/random.h"
#include "models/linear.h"
#include "models/module.h"
#include "models/norm/norm.h"
#include "ops/layer/layer.h"

namespace lathe::nn {

// Hyp-OC's HyperbolicMLR(ball_dim, n_classes, c): parameters a_vals, p_vals [C, D], both
// Kaiming-uniform (a = sqrt(5): U(-1/sqrt(D), 1/sqrt(D))); no buffers; train = eval.
class HyperbolicMLR : public Layer {
 public:
  HyperbolicMLR(int64_t ball_dim, int64_t n_classes, double c = 0.1, DType dtype = DType::f32,
                Device device = default_device());
  Tensor forward(const Tensor& x) override;  // x [..., D] -> logits [..., C]

  Tensor a_vals;  // [C, D]
  Tensor p_vals;  // [C, D]
  double c;
};

// Nested dropout: in training one k in {1..D} per call, P(k) proportional to
// exp(-((k - mu)/sigma)^2) (Nested Co-teaching's per-mini-batch draw), then the first k
// channels along `axis` are kept; in eval all channels, or the first eval_k when eval_k > 0.
// No parameters. last_k() is the k of the latest training call.
class NestedDropout : public Layer {
 public:
  explicit NestedDropout(double sigma, double mu = 0.0, int64_t axis = 1, int64_t eval_k = 0,
                         Generator* gen = nullptr);
  Tensor forward(const Tensor& x) override;
  int64_t last_k() const { return last_k_; }

 private:
  double sigma_, mu_;
  int64_t axis_, eval_k_, last_k_ = 0;
  Generator* gen_;
};

// AdvStyle: parameters s_mu, s_sigma [1, C, 1, 1] (AdvStyle's names), zero until the first
// training call sets them from the batch (adv_style_init; a loaded non-zero state is kept).
// Training draws eps_mu, eps_sigma ~ N(0, 1) [B, C, 1, 1] and applies adv_style; eval is the
// identity. The branch choice (identity / AdvStyle / DSU) and the separate optimizer for s are
// the trainer's.
class AdvStyle : public Layer {
 public:
  explicit AdvStyle(int64_t channels, double coeff = 1.0, double eps = 1e-6,
                    DType dtype = DType::f32, Device device = default_device(),
                    Generator* gen = nullptr);
  Tensor forward(const Tensor& x) override;  // x [B, C, H, W]

  Tensor s_mu;     // [1, C, 1, 1]
  Tensor s_sigma;  // [1, C, 1, 1]

 private:
  double coeff_, eps_;
  bool initialized_ = false;
  Generator* gen_;
};

// Spark FFN (no reference module): parameters k1 [r, F], k2 [d - r, F], v [F, d], uniform
// +-1/sqrt(fan_in) like a Linear; forward is spark_ffn(x, k1, k2, v, k).
class SparkFFN : public Layer {
 public:
  SparkFFN(int64_t d_model, int64_t d_ff, int64_t r, int64_t k, DType dtype = DType::f32,
           Device device = default_device());
  Tensor forward(const Tensor& x) override;  // x [..., d] -> [..., d]

  Tensor k1, k2, v;

 private:
  int64_t k_;
};

// S4D's kernel parameters (state-spaces/s4 models/s4/s4d.py S4DKernel): C [H, N/2, 2] (the
// complex C as view_as_real), log_dt [H], log_A_real, A_imag [H, N/2], S4D-Lin init.
class S4DKernel : public Module {
 public:
  S4DKernel(int64_t h, int64_t n, double dt_min, double dt_max, DType dtype, Device device);
  Tensor forward(int64_t length) const;  // K [H, L]

  Tensor C, log_dt, log_A_real, A_imag;
};

// The S4D layer: y = GLU(conv1x1(gelu(causal_conv(u, K) + D u))) over u [B, H, L] (s4d.py's
// S4D with transposed inputs, dropout 0). State dict: D, kernel.C, kernel.log_dt,
// kernel.log_A_real, kernel.A_imag, output_linear.0.weight [2H, H, 1], output_linear.0.bias.
class S4D : public Layer {
 public:
  explicit S4D(int64_t h, int64_t n = 64, double dt_min = 1e-3, double dt_max = 1e-1,
               DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& u) override;  // u [B, H, L] -> [B, H, L]

  Tensor D;  // [H]
  std::shared_ptr<S4DKernel> kernel;
  Tensor out_weight, out_bias;  // output_linear.0: [2H, H, 1], [2H]
};

// The causal convolution of u [..., H, L] with K [H, L] by FFT (zero-padded to 2L), plus D u.
Tensor s4_causal_conv(const Tensor& u, const Tensor& k, const Tensor& d);

// PyTorch's GRUCell parameters: weight_ih, weight_hh [3H, in/H] (gates r, z, n), bias_ih,
// bias_hh [3H], uniform +-1/sqrt(H). slot_attention runs the cell.
class GRUCell : public Module {
 public:
  GRUCell(int64_t input_size, int64_t hidden_size, DType dtype, Device device);
  Tensor weight_ih, weight_hh, bias_ih, bias_hh;
};

// Slot-TTA's SlotAttention(num_slots, dim, iters, eps, hidden_dim): slots_mu [1, K, D]
// ~ N(0, 1), to_q/to_k/to_v Linear(D, D), gru GRUCell(D, D), fc1 (D -> max(D, hidden)), fc2,
// norm_pre_ff, norm_slots, norm_input (LayerNorm(D)); the reference's names, so its state
// dict loads. forward returns the slots; last_attention() the last normalized attention.
class SlotAttention : public Layer {
 public:
  SlotAttention(int64_t num_slots, int64_t dim, int64_t iters = 3, double eps = 1e-8,
                int64_t hidden_dim = 128, DType dtype = DType::f32,
                Device device = default_device());
  Tensor forward(const Tensor& x) override;  // x [B, N, D] -> slots [B, K, D]
  const Tensor& last_attention() const { return attn_; }
  SlotAttentionParams params() const;

  Tensor slots_mu;  // [1, K, D]
  std::shared_ptr<Linear> to_q, to_k, to_v;
  std::shared_ptr<GRUCell> gru;
  std::shared_ptr<Linear> fc1, fc2;
  std::shared_ptr<LayerNorm> norm_pre_ff, norm_slots, norm_input;

 private:
  int64_t iters_;
  double eps_;
  Tensor attn_;
};

}  // namespace lathe::nn
