// Module forms of the KAN layers (ops/kan/kan.h has the functional ops they call). Parameter and
// buffer names follow the reference PyTorch modules, so state dicts line up with theirs where
// the shapes agree (each class says where they do not).
//
//   nn::KAN net({4, 16, 3});                  // efficient-kan: two KANLinear layers
//   Tensor y = net.forward(x);                // x [N, 4]
//   Tensor loss = mean(pow(y - t, 2.0)) + 1e-4 * net.regularization_loss();
//   net.update_grid(x);                       // optional: grids follow the data (no gradient)
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/linear.h"
#include "models/module.h"
#include "ops/kan/kan.h"

namespace lathe::nn {

// The affine parameters of a LayerNorm over the last axis, weight 1 and bias 0 ("norm.weight",
// "norm.bias" as a submodule).
class NormAffine : public Module {
 public:
  NormAffine(int64_t features, DType dtype, Device device);
  Tensor weight;  // [features]
  Tensor bias;    // [features]
};

// ---- B-spline KAN (efficient-kan) ----

struct KANLinearOptions {
  int64_t grid_size = 5;
  int64_t spline_order = 3;
  double scale_noise = 0.1;
  double scale_base = 1.0;
  double scale_spline = 1.0;
  bool enable_standalone_scale_spline = true;
  std::string base_activation = "silu";
  double grid_eps = 0.02;
  double grid_lo = -1.0, grid_hi = 1.0;
  DType dtype = DType::f32;
  Device device = default_device();
};

// efficient-kan's KANLinear. Initialization (reset_parameters):
//   base_weight   kaiming_uniform(a = sqrt(5) scale_base)
//   spline_weight least-squares fit of noise (U[0,1) - 1/2) scale_noise / G at the G + 1
//                 interior knots (times scale_spline without the standalone scaler)
//   spline_scaler kaiming_uniform(a = sqrt(5) scale_spline)
class KANLinear : public Layer {
 public:
  KANLinear(int64_t in_features, int64_t out_features, KANLinearOptions options = {});
  Tensor forward(const Tensor& x) override;  // x [..., in] -> [..., out]
  // A new grid from x [N, in] and refitted spline weights (kan_update_grid), in place.
  void update_grid(const Tensor& x, double margin = 0.01);
  Tensor regularization_loss(double regularize_activation = 1.0,
                             double regularize_entropy = 1.0) const;
  const KANLinearOptions& options() const { return options_; }

  Tensor grid;           // buffer [in, G + 2k + 1]
  Tensor base_weight;    // [out, in]
  Tensor spline_weight;  // [out, in, G + k]
  Tensor spline_scaler;  // [out, in]; undefined without the standalone scaler

 private:
  KANLinearOptions options_;
};

// A stack of KANLinear layers, widths {d0, d1, ...} ("layers.0.base_weight", ...).
class KAN : public Layer {
 public:
  explicit KAN(const std::vector<int64_t>& widths, KANLinearOptions options = {});
  Tensor forward(const Tensor& x) override;
  // efficient-kan's forward(x, update_grid=True): each layer updates its grid on the input it
  // sees, then passes its output on. Runs without gradient; returns the output.
  virtual Tensor update_grid(const Tensor& x, double margin = 0.01);
  Tensor regularization_loss(double regularize_activation = 1.0,
                             double regularize_entropy = 1.0) const;
  std::vector<std::shared_ptr<KANLinear>> layers;
};

// ---- group-rational KAN (Kolmogorov-Arnold Transformer) ----

// KAT_Group: the rational activation, numerator [1, 6] shared by all groups, denominator [G, 4].
// mode picks the initial coefficients (Adamdad/rational_kat_cu kat_rational/init.json):
//   identity  a = [0, 1, 0, 0, 0, 0], b = 0 (every variant)
//   gelu      "gelu" for variant paper (max error 0.003 on [-3, 3]); "gelu_old" for kernel
//             (0.004) and torch_ref (0.04): the shipped "gelu" set is wrong under those (1.46)
//   swish     "swish" (error below 2e-4 under every variant)
class KATGroup : public Layer {
 public:
  explicit KATGroup(int64_t num_groups = 8, const std::string& mode = "gelu",
                    const std::string& variant = "paper", DType dtype = DType::f32,
                    Device device = default_device());
  Tensor forward(const Tensor& x) override;  // x [..., D], D % num_groups == 0

  Tensor weight_numerator;    // [1, 6]
  Tensor weight_denominator;  // [G, 4]
  std::string variant;
};

// A GR-KAN layer: KAT_Group then Linear ("act.weight_numerator", "fc.weight", ...). The KAT
// block is GRKANLayer(d, h, G, "identity") -> dropout -> GRKANLayer(h, d, G, "gelu"), with
// dropout between (katransformer.py's KAN class names them act1/fc1 and act2/fc2).
// fc keeps nn.Linear's initialization. katransformer.py's "kan" init modes draw fc1/fc2 with
// kaiming_normal and the rational function's gain, then overwrite them with trunc_normal(std
// 0.02) in the same function's else branch, so the gain rule never takes effect there.
class GRKANLayer : public Layer {
 public:
  GRKANLayer(int64_t in_features, int64_t out_features, int64_t num_groups = 8,
             const std::string& mode = "gelu", const std::string& variant = "paper",
             bool bias = true, DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& x) override;  // x [..., in] -> [..., out]

  std::shared_ptr<KATGroup> act;
  std::shared_ptr<Linear> fc;
};

// ---- ReLU-KAN ----

// All-KAN's ReLUKANLayer: phase_low/phase_high [in, g + k] (trainable), LayerNorm "norm", and
// the conv "equal_size_conv" [out, 1, g + k, in] stored as "fc.weight" [out, in (g + k)] (the
// same numbers: reshape a PyTorch checkpoint's weight with reshape({out, -1})) and "fc.bias".
class ReLUKANLayer : public Layer {
 public:
  ReLUKANLayer(int64_t in_features, int64_t out_features, int64_t g = 5, int64_t k = 3,
               bool layer_norm = true, DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& x) override;  // x [..., in] -> [..., out]

  Tensor phase_low, phase_high;  // [in, g + k]
  std::shared_ptr<NormAffine> norm;  // null without layer_norm
  std::shared_ptr<Linear> fc;
  int64_t g, k;
};

// ---- AF-KAN ----

// All-KAN's AF_KANLayer (one method): phase_low/phase_high [g + k], temperature [] (sqrt(in)),
// base_weight [out, in] kaiming_uniform(a = sqrt(5)), gk_linear Linear(g + k, 1), norm.
// The output depends on the whole batch (see af_kan_layer).
class AFKANLayer : public Layer {
 public:
  AFKANLayer(int64_t in_features, int64_t out_features, int64_t g = 5, int64_t k = 3,
             AFKANOptions options = {}, DType dtype = DType::f32,
             Device device = default_device());
  Tensor forward(const Tensor& x) override;  // x [B, in] -> [B, out]

  Tensor phase_low, phase_high;  // [g + k]
  Tensor temperature;            // []
  Tensor base_weight;            // [out, in]
  std::shared_ptr<Linear> gk_linear;
  std::shared_ptr<NormAffine> norm;
  AFKANOptions options;
};

// ---- FastKAN ----

// The RBF centres of FastKAN ("rbf.grid", a buffer: requires_grad=False in the reference).
class RBFGrid : public Module {
 public:
  RBFGrid(double grid_min, double grid_max, int64_t num_grids, DType dtype, Device device);
  Tensor grid;  // [num_grids]
  double denominator;
};

struct FastKANOptions {
  double grid_min = -2.0, grid_max = 2.0;
  int64_t num_grids = 8;
  bool use_base_update = true;
  bool use_layernorm = true;
  std::string base_activation = "silu";
  double spline_weight_init_scale = 0.1;
  DType dtype = DType::f32;
  Device device = default_device();
};

// FastKANLayer: "layernorm", "rbf.grid", "spline_linear.weight" [out, in n] ~ N(0, 0.1^2)
// (the reference's trunc_normal_ cuts at +-2, 20 standard deviations: never), "base_linear".
class FastKANLayer : public Layer {
 public:
  FastKANLayer(int64_t in_features, int64_t out_features, FastKANOptions options = {});
  Tensor forward(const Tensor& x) override;  // x [..., in] -> [..., out]

  std::shared_ptr<NormAffine> layernorm;  // null without use_layernorm
  std::shared_ptr<RBFGrid> rbf;
  std::shared_ptr<Linear> spline_linear;
  std::shared_ptr<Linear> base_linear;    // null without use_base_update
  std::string base_activation;
};

}  // namespace lathe::nn
