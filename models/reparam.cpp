#include "models/reparam.h"

#include <cmath>

#include "core/grad_mode.h"
#include "core/random.h"
#include "ops/linalg/linalg.h"
#include "ops/nn/nn.h"
#include "ops/ops.h"

namespace lathe::nn {

namespace {

double lora_scale(const LoraLinearOptions& o) {
  return o.alpha / (o.rs ? std::sqrt(static_cast<double>(o.r)) : static_cast<double>(o.r));
}

}  // namespace

// ---- LoraLinear ----

LoraLinear::LoraLinear(int64_t in, int64_t out, LoraLinearOptions o) : options(o) {
  LATHE_CHECK(in > 0 && out > 0, "[LoraLinear] features must be positive, got ", in, " -> ",
              out);
  LATHE_CHECK(o.r >= 1 && o.r <= std::min(in, out), "[LoraLinear] r must be in [1, min(in, "
              "out) = ", std::min(in, out), "], got ", o.r);
  LATHE_CHECK(o.dropout >= 0.0 && o.dropout < 1.0, "[LoraLinear] dropout must be in [0, 1), "
              "got ", o.dropout);
  LATHE_CHECK(o.init == "original" || o.init == "gaussian", "[LoraLinear] init must be "
              "original or gaussian, got '", o.init, "'");
  base_layer = add_module("base_layer", std::make_shared<Linear>(in, out, o.bias, o.dtype,
                                                                 o.device));
  for (Tensor& p : base_layer->parameters()) p.requires_grad_(false);  // frozen
  // Linear's init is kaiming_uniform(a = sqrt(5)), U(+-1/sqrt(in)): peft's "original".
  lora_A = add_module("lora_A", std::make_shared<Linear>(in, o.r, false, o.dtype, o.device));
  lora_B = add_module("lora_B", std::make_shared<Linear>(o.r, out, false, o.dtype, o.device));
  NoGradGuard no_grad;
  if (o.init == "gaussian")
    lora_A->weight.copy_(normal({o.r, in}, 0.0, 1.0 / static_cast<double>(o.r), o.dtype,
                                o.device));
  lora_B->weight.zero_();  // the adapter starts at zero: the output is the base layer's
  if (o.dora)
    magnitude = add_parameter("lora_magnitude_vector", norm(base_layer->weight, 2.0, {1}));
}

Tensor LoraLinear::forward(const Tensor& x) {
  LoraOptions lo;
  lo.alpha = options.alpha;
  lo.rs = options.rs;
  lo.p = options.dropout;
  lo.training = is_training();
  return lora_linear(x, base_layer->weight, base_layer->bias, lora_A->weight, lora_B->weight,
                     magnitude, lo);
}

Tensor LoraLinear::merged_weight() const {
  NoGradGuard no_grad;
  Tensor w = base_layer->weight + lora_scale(options) * matmul(lora_B->weight, lora_A->weight);
  if (!magnitude.defined()) return w;                                 // [out, in]
  return unsqueeze(magnitude / norm(w, 2.0, {1}), 1) * w;
}

// ---- ZeroMeanLinear ----

ZeroMeanLinear::ZeroMeanLinear(int64_t in, int64_t out, bool with_bias, DType dtype,
                               Device device) {
  LATHE_CHECK(in > 0 && out > 0, "[ZeroMeanLinear] features must be positive, got ", in,
              " -> ", out);
  double bound = 1.0 / std::sqrt(static_cast<double>(in));
  weight = add_parameter("weight", uniform({out, in}, -bound, bound, dtype, device));
  if (with_bias) bias = add_parameter("bias", uniform({out}, -bound, bound, dtype, device));
}

Tensor ZeroMeanLinear::forward(const Tensor& x) { return zero_mean_linear(x, weight, bias); }

// ---- SNLinear ----

SNLinear::SNLinear(int64_t in, int64_t out, bool with_bias, double init_multiplier,
                   DType dtype, Device device) {
  LATHE_CHECK(in > 0 && out > 0, "[SNLinear] features must be positive, got ", in, " -> ", out);
  LATHE_CHECK(init_multiplier > 0.0, "[SNLinear] init_multiplier must be > 0, got ",
              init_multiplier);
  double bound = 1.0 / std::sqrt(static_cast<double>(in));
  // trunc_normal_(std = 0.02 m) truncates at +-2 (absolute), 100 standard deviations away.
  weight = add_parameter(
      "weight", clamp(normal({out, in}, 0.0, 0.02 * init_multiplier, dtype, device), -2.0, 2.0));
  if (with_bias) bias = add_parameter("bias", uniform({out}, -bound, bound, dtype, device));
  Tensor s0, u0;
  {
    NoGradGuard no_grad;
    auto [uu, s, vh] = svd(weight);
    s0 = reshape(narrow(s, 0, 0, 1), {1});                          // [1]
    u0 = reshape(narrow(vh, 0, 0, 1), {in});                        // [in]
  }
  sigma = add_parameter("sigma", s0.clone());
  effective_spectral_norm = add_buffer("effective_spectral_norm", s0.clone());
  auto holder = add_module("spectral_normed_weight", std::make_shared<TensorHolder>());
  u = holder->buf("u", u0);
  spectral_norm = holder->buf("spectral_norm", s0.clone());
}

Tensor SNLinear::reparameterized_weight() {
  SigmaReparamResult r = sigma_reparam(weight, sigma, u, is_training());
  NoGradGuard no_grad;
  if (is_training()) {
    u.copy_(r.u);
    spectral_norm.copy_(reshape(r.sigma, {1}));
  }
  effective_spectral_norm.copy_(sigma);
  return r.weight;
}

Tensor SNLinear::forward(const Tensor& x) { return linear(x, reparameterized_weight(), bias); }

// ---- OrthogonalLinear ----

OrthogonalLinear::OrthogonalLinear(int64_t in, int64_t out, bool with_bias, std::string map_,
                                   DType dtype, Device device)
    : map(std::move(map_)) {
  LATHE_CHECK(in > 0 && out > 0, "[OrthogonalLinear] features must be positive, got ", in,
              " -> ", out);
  if (map.empty()) map = in == out ? "matrix_exp" : "householder";
  LATHE_CHECK(map == "matrix_exp" || map == "cayley" || map == "householder",
              "[OrthogonalLinear] map must be matrix_exp, cayley or householder, got '", map,
              "'");
  double bound = 1.0 / std::sqrt(static_cast<double>(in));
  Tensor w = uniform({out, in}, -bound, bound, dtype, device);     // nn.Linear's init
  if (with_bias) bias = add_parameter("bias", uniform({out}, -bound, bound, dtype, device));
  int64_t n = std::max(in, out), k = std::min(in, out);
  Tensor q0 = out < in ? transpose(w, 0, 1) : w;                    // [n, k]
  if (n != k) q0 = concat({q0, randn({n, n - k}, dtype, device)}, 1);  // completed to [n, n]
  Tensor b = qr(q0).first;                                          // diag(R) >= 0: PyTorch's
  std::vector<double> minus_eye(static_cast<size_t>(out * in), 0.0);  // right_inverse: -I
  for (int64_t i = 0; i < k; ++i) minus_eye[static_cast<size_t>(i * in + i)] = -1.0;
  auto params = add_module("parametrizations", std::make_shared<TensorHolder>());
  auto weight_p = params->child("weight", std::make_shared<TensorHolder>());
  original = weight_p->param("original",
                             from_vector(minus_eye, {out, in}, DType::f64, device).to(dtype));
  base = weight_p->child("0", std::make_shared<TensorHolder>())->buf("base", b);
}

Tensor OrthogonalLinear::weight() const { return orthogonal_linear(original, base, map); }

Tensor OrthogonalLinear::forward(const Tensor& x) { return linear(x, weight(), bias); }

// ---- OstLinear ----

OstLinear::OstLinear(int64_t in, int64_t out, bool with_bias, DType dtype, Device device) {
  LATHE_CHECK(in > 0 && out > 0, "[OstLinear] features must be positive, got ", in, " -> ", out);
  double bound = 1.0 / std::sqrt(static_cast<double>(in));
  weight = add_parameter("weight", uniform({out, in}, -bound, bound, dtype, device));
  weight.requires_grad_(false);  // the pretrained weight is frozen; the transform learns
  if (with_bias) {
    bias = add_parameter("bias", uniform({out}, -bound, bound, dtype, device));
    bias.requires_grad_(false);
  }
  rotation = add_parameter("rotation", zeros({in, in}, dtype, device));
  log_scale = add_parameter("log_scale", zeros({in}, dtype, device));
}

std::pair<Tensor, Tensor> OstLinear::transformed(const Tensor& x) const {
  return ost_equivalent_transform(x, transpose(weight, 0, 1), rotation, log_scale);
}

Tensor OstLinear::forward(const Tensor& x) {
  auto [xt, wt] = transformed(x);                                   // [..., in], [in, out]
  Tensor y = matmul(xt, wt);                                        // [..., out]
  return bias.defined() ? y + bias : y;
}

// ---- MIPHyperNet ----

MIPHyperNet::MIPHyperNet(int64_t input_dims, std::vector<int64_t> hidden,
                         std::vector<std::pair<std::string, Shape>> primary_,
                         std::string encoding_, DType dtype, Device device)
    : primary(std::move(primary_)), encoding(std::move(encoding_)), input_dims(input_dims) {
  LATHE_CHECK(input_dims > 0 && !primary.empty(), "[MIPHyperNet] need input_dims > 0 and at "
              "least one primary tensor");
  LATHE_CHECK(encoding == "cos|sin" || encoding == "z|1-z", "[MIPHyperNet] encoding must be "
              "cos|sin or z|1-z, got '", encoding, "'");
  int64_t params = 0;
  for (const auto& [name, shape] : primary) params += numel(shape);
  auto backbone = add_module("backbone", std::make_shared<TensorHolder>());
  NoGradGuard no_grad;
  int64_t width = 2 * input_dims;
  for (size_t i = 0; i < hidden.size(); ++i) {
    auto lin = backbone->child("block" + std::to_string(i) + "_lin",
                               std::make_shared<Linear>(width, hidden[i], true, dtype, device));
    // kaiming_normal(mode fan_out, leaky_relu with a = 0): std sqrt(2 / fan_out), bias 0
    lin->weight.copy_(normal(lin->weight.shape(), 0.0, std::sqrt(2.0 / hidden[i]), dtype,
                             device));
    lin->bias.zero_();
    blocks.push_back(lin);
    width = hidden[i];
  }
  output = backbone->child("output", std::make_shared<Linear>(width, params, true, dtype, device));
  output->weight.copy_(normal(output->weight.shape(), 0.0, std::sqrt(1.0 / params), dtype,
                              device));
  // theta0: a normally initialized primary network (kaiming-normal fan-in for weights).
  std::vector<Tensor> pieces;
  for (const auto& [name, shape] : primary) {
    bool is_weight = name.size() >= 7 && name.compare(name.size() - 7, 7, ".weight") == 0;
    if (is_weight && shape.size() >= 2) {
      double fan_in = static_cast<double>(numel(shape) / shape[0]);
      pieces.push_back(reshape(normal(shape, 0.0, std::sqrt(2.0 / fan_in), dtype, device),
                               {numel(shape)}));
    } else {
      pieces.push_back(zeros({numel(shape)}, dtype, device));
    }
  }
  output->bias.copy_(concat(pieces, 0));
}

std::vector<std::pair<std::string, Tensor>> MIPHyperNet::forward(const Tensor& z) {
  bool single = z.dim() == 1;
  Tensor zb = single ? unsqueeze(z, 0) : z;                           // [B, k]
  LATHE_CHECK(zb.dim() == 2 && zb.size(1) == input_dims, "[MIPHyperNet] z must be [B, ",
              input_dims, "] or [", input_dims, "], got ", z.shape());
  Tensor h = mip_encode(zb, encoding);                                // [B, 2k]
  for (const auto& lin : blocks) {
    h = linear(h, lin->weight, lin->bias);
    h = where(gt(h, 0.0), h, 0.01 * h);                               // LeakyReLU
  }
  Tensor theta = linear(h, output->weight, output->bias);             // [B, P]
  int64_t batch = zb.size(0), offset = 0;
  std::vector<std::pair<std::string, Tensor>> out;
  for (const auto& [name, shape] : primary) {
    Shape s = shape;
    if (batch > 1) s.insert(0, batch);  // hyperlight drops a batch of 1
    out.push_back({name, reshape(narrow(theta, 1, offset, numel(shape)), s)});
    offset += numel(shape);
  }
  return out;
}

}  // namespace lathe::nn
