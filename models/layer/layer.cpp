#include "models/layer/layer.h"

#include <algorithm>
#include <cmath>

#include "core/grad_mode.h"
#include "ops/fft/fft.h"
#include "ops/nn/conv.h"
#include "ops/nn/nn.h"
#include "ops/layer/layer.h"
#include "ops/ops.h"

namespace lathe::nn {

HyperbolicMLR::HyperbolicMLR(int64_t ball_dim, int64_t n_classes, double c_, DType dtype,
                             Device device)
    : c(c_) {
  LATHE_CHECK(ball_dim >= 1 && n_classes >= 1, "[hyperbolic_mlr] ball_dim and n_classes must "
              "be >= 1, got ", ball_dim, " and ", n_classes);
  double bound = 1.0 / std::sqrt(static_cast<double>(ball_dim));
  a_vals = add_parameter("a_vals", uniform({n_classes, ball_dim}, -bound, bound, dtype, device));
  p_vals = add_parameter("p_vals", uniform({n_classes, ball_dim}, -bound, bound, dtype, device));
}

Tensor HyperbolicMLR::forward(const Tensor& x) { return hyperbolic_mlr(x, a_vals, p_vals, c); }

NestedDropout::NestedDropout(double sigma, double mu, int64_t axis, int64_t eval_k,
                             Generator* gen)
    : sigma_(sigma), mu_(mu), axis_(axis), eval_k_(eval_k), gen_(gen) {
  LATHE_CHECK(sigma > 0 && std::isfinite(sigma), "[nested_dropout] sigma must be > 0, got ",
              sigma);
  LATHE_CHECK(eval_k >= 0, "[nested_dropout] eval_k must be >= 0 (0: keep all), got ", eval_k);
}

Tensor NestedDropout::forward(const Tensor& x) {
  if (!is_training()) return eval_k_ > 0 ? nested_dropout(x, eval_k_, axis_) : x;
  LATHE_CHECK(axis_ >= -x.dim() && axis_ < x.dim(), "[nested_dropout] axis ", axis_,
              " out of range for x ", x.shape());
  int64_t d = x.shape()[axis_ < 0 ? axis_ + x.dim() : axis_];
  double u = uniform({1}, 0.0, 1.0, DType::f64, Device::reference(), gen_).item();
  last_k_ = nested_dropout_sample_k(d, sigma_, mu_, u);
  return nested_dropout(x, last_k_, axis_);
}

AdvStyle::AdvStyle(int64_t channels, double coeff, double eps, DType dtype, Device device,
                   Generator* gen)
    : coeff_(coeff), eps_(eps), gen_(gen) {
  LATHE_CHECK(channels >= 1, "[adv_style] channels must be >= 1, got ", channels);
  s_mu = add_parameter("s_mu", zeros({1, channels, 1, 1}, dtype, device));
  s_sigma = add_parameter("s_sigma", zeros({1, channels, 1, 1}, dtype, device));
}

Tensor AdvStyle::forward(const Tensor& x) {
  if (!is_training()) return x;
  LATHE_CHECK(x.dim() >= 3, "[adv_style] x must be [B, C, H, W] (or [B, C, ...]), got ",
              x.shape());
  if (!initialized_) {
    NoGradGuard no_grad;
    bool unset = sum(abs(s_mu)).item() == 0.0 && sum(abs(s_sigma)).item() == 0.0;
    if (unset) {
      auto [mu0, sigma0] = adv_style_init(x, eps_);
      s_mu.copy_(mu0);
      s_sigma.copy_(sigma0);
    }
    initialized_ = true;
  }
  Shape stat(std::vector<int64_t>(x.dim(), 1));
  stat[0] = x.shape()[0];
  stat[1] = x.shape()[1];
  Tensor eps_mu = normal(stat, 0.0, 1.0, x.dtype(), x.device(), gen_);     // [B, C, 1, 1]
  Tensor eps_sigma = normal(stat, 0.0, 1.0, x.dtype(), x.device(), gen_);  // [B, C, 1, 1]
  return adv_style(x, s_mu, s_sigma, eps_mu, eps_sigma, coeff_);
}

}  // namespace lathe::nn

namespace lathe::nn {

namespace {

// The parameters of s4d.py's output_linear[0], Conv1d(H, 2H, kernel_size=1), with PyTorch's
// init; S4D::forward applies them as a matmul.
class Conv1x1 : public Layer {
 public:
  Conv1x1(int64_t h, double bound, DType dtype, Device device) {
    weight = add_parameter("weight", uniform({2 * h, h, 1}, -bound, bound, dtype, device));
    bias = add_parameter("bias", uniform({2 * h}, -bound, bound, dtype, device));
  }
  Tensor forward(const Tensor& x) override {
    return conv1d(x, weight, bias);
  }
  Tensor weight, bias;
};

}  // namespace

SparkFFN::SparkFFN(int64_t d_model, int64_t d_ff, int64_t r, int64_t k, DType dtype,
                   Device device)
    : k_(k) {
  LATHE_CHECK(r >= 1 && r < d_model && d_ff >= 2, "[spark_ffn] need 1 <= r < d_model and "
              "d_ff >= 2, got r ", r, ", d_model ", d_model, ", d_ff ", d_ff);
  double b1 = 1.0 / std::sqrt(static_cast<double>(r));
  double b2 = 1.0 / std::sqrt(static_cast<double>(d_model - r));
  double bv = 1.0 / std::sqrt(static_cast<double>(d_ff));
  k1 = add_parameter("k1", uniform({r, d_ff}, -b1, b1, dtype, device));
  k2 = add_parameter("k2", uniform({d_model - r, d_ff}, -b2, b2, dtype, device));
  v = add_parameter("v", uniform({d_ff, d_model}, -bv, bv, dtype, device));
}

Tensor SparkFFN::forward(const Tensor& x) { return spark_ffn(x, k1, k2, v, k_); }

S4DKernel::S4DKernel(int64_t h, int64_t n, double dt_min, double dt_max, DType dtype,
                     Device device) {
  LATHE_CHECK(h >= 1 && n >= 2 && n % 2 == 0, "[s4_conv_kernel] need H >= 1 and an even N >= 2, "
              "got H ", h, ", N ", n);
  LATHE_CHECK(dt_min > 0 && dt_max >= dt_min, "[s4_conv_kernel] need 0 < dt_min <= dt_max, got ",
              dt_min, ", ", dt_max);
  int64_t n2 = n / 2;
  // C ~ CN(0, 1): real and imaginary parts N(0, 1/2) (torch.randn of a complex dtype)
  C = add_parameter("C", normal({h, n2, 2}, 0.0, std::sqrt(0.5), dtype, device));
  log_dt = add_parameter("log_dt", uniform({h}, std::log(dt_min), std::log(dt_max), dtype,
                                           device));
  log_A_real = add_parameter("log_A_real", full({h, n2}, std::log(0.5), dtype, device));
  const double pi = 3.14159265358979323846;
  Tensor n_idx = arange(0.0, static_cast<double>(n2), 1.0, dtype, device);       // [N/2]
  A_imag = add_parameter("A_imag", clone(expand(unsqueeze(n_idx * pi, 0), {h, n2})));
}

Tensor S4DKernel::forward(int64_t length) const {
  return s4_conv_kernel(log_dt, log_A_real, A_imag, C, length);
}

Tensor s4_causal_conv(const Tensor& u, const Tensor& k, const Tensor& d) {
  LATHE_CHECK(u.dim() >= 2 && k.dim() == 2 && u.shape()[u.dim() - 2] == k.shape()[0] &&
                  u.shape()[u.dim() - 1] == k.shape()[1],
              "[s4_conv_kernel] u must be [..., H, L] matching K [H, L] ", k.shape(), ", got ",
              u.shape());
  int64_t l = k.shape()[1];
  Tensor uf = rfft(pad(u, {0, l}));                                    // [..., H, L + 1, 2]
  Tensor kf = rfft(pad(k, {0, l}));                                    // [H, L + 1, 2]
  Tensor ur = uf.select(-1, 0), ui = uf.select(-1, 1);
  Tensor kr = kf.select(-1, 0), ki = kf.select(-1, 1);
  Tensor prod = stack({ur * kr - ui * ki, ur * ki + ui * kr}, -1);     // [..., H, L + 1, 2]
  Tensor y = narrow(irfft(prod, 2 * l), -1, 0, l);                     // [..., H, L]
  return y + u * unsqueeze(d, -1);
}

S4D::S4D(int64_t h, int64_t n, double dt_min, double dt_max, DType dtype, Device device) {
  D = add_parameter("D", normal({h}, 0.0, 1.0, dtype, device));
  kernel = add_module("kernel", std::make_shared<S4DKernel>(h, n, dt_min, dt_max, dtype, device));
  // output_linear = Sequential(Conv1d(H, 2H, kernel_size=1), GLU(dim=-2)): PyTorch's Conv1d init
  double bound = 1.0 / std::sqrt(static_cast<double>(h));
  auto out = std::make_shared<Sequential>();
  auto conv = std::make_shared<Conv1x1>(h, bound, dtype, device);
  out->append(conv);
  add_module("output_linear", out);
  out_weight = conv->weight;
  out_bias = conv->bias;
}

Tensor S4D::forward(const Tensor& u) {
  LATHE_CHECK(u.dim() == 3, "[s4_conv_kernel] S4D expects u [B, H, L], got ", u.shape());
  int64_t h = D.shape()[0], l = u.shape()[2];
  Tensor y = gelu(s4_causal_conv(u, kernel->forward(l), D));          // [B, H, L]
  Tensor z = conv1d(y, out_weight, out_bias);                          // [B, 2H, L]
  return narrow(z, 1, 0, h) * sigmoid(narrow(z, 1, h, h));             // GLU over channels
}

GRUCell::GRUCell(int64_t input_size, int64_t hidden_size, DType dtype, Device device) {
  double b = 1.0 / std::sqrt(static_cast<double>(hidden_size));
  weight_ih = add_parameter("weight_ih",
                            uniform({3 * hidden_size, input_size}, -b, b, dtype, device));
  weight_hh = add_parameter("weight_hh",
                            uniform({3 * hidden_size, hidden_size}, -b, b, dtype, device));
  bias_ih = add_parameter("bias_ih", uniform({3 * hidden_size}, -b, b, dtype, device));
  bias_hh = add_parameter("bias_hh", uniform({3 * hidden_size}, -b, b, dtype, device));
}

SlotAttention::SlotAttention(int64_t num_slots, int64_t dim, int64_t iters, double eps,
                             int64_t hidden_dim, DType dtype, Device device)
    : iters_(iters), eps_(eps) {
  LATHE_CHECK(num_slots >= 1 && dim >= 1, "[slot_attention] num_slots and dim must be >= 1, "
              "got ", num_slots, " and ", dim);
  slots_mu = add_parameter("slots_mu", normal({1, num_slots, dim}, 0.0, 1.0, dtype, device));
  to_q = add_module("to_q", std::make_shared<Linear>(dim, dim, true, dtype, device));
  to_k = add_module("to_k", std::make_shared<Linear>(dim, dim, true, dtype, device));
  to_v = add_module("to_v", std::make_shared<Linear>(dim, dim, true, dtype, device));
  gru = add_module("gru", std::make_shared<GRUCell>(dim, dim, dtype, device));
  int64_t hidden = std::max(dim, hidden_dim);
  fc1 = add_module("fc1", std::make_shared<Linear>(dim, hidden, true, dtype, device));
  fc2 = add_module("fc2", std::make_shared<Linear>(hidden, dim, true, dtype, device));
  norm_pre_ff = add_module("norm_pre_ff", std::make_shared<LayerNorm>(Shape{dim}, 1e-5, true,
                                                                      dtype, device));
  norm_slots = add_module("norm_slots", std::make_shared<LayerNorm>(Shape{dim}, 1e-5, true,
                                                                    dtype, device));
  norm_input = add_module("norm_input", std::make_shared<LayerNorm>(Shape{dim}, 1e-5, true,
                                                                    dtype, device));
}

SlotAttentionParams SlotAttention::params() const {
  return {norm_input->weight, norm_input->bias, norm_slots->weight, norm_slots->bias,
          norm_pre_ff->weight, norm_pre_ff->bias, to_q->weight, to_q->bias,
          to_k->weight, to_k->bias, to_v->weight, to_v->bias,
          gru->weight_ih, gru->weight_hh, gru->bias_ih, gru->bias_hh,
          fc1->weight, fc1->bias, fc2->weight, fc2->bias};
}

Tensor SlotAttention::forward(const Tensor& x) {
  auto [slots, attn] = slot_attention(x, slots_mu, params(), iters_, eps_);
  attn_ = attn;
  return slots;
}

}  // namespace lathe::nn
