// Module forms of the reparam family (ops/reparam/reparam.h; catalog: reparam.md). Each owns
// its parameters and buffers under the keys of the PyTorch module it mirrors, so a state dict
// written by one loads into the other (ops/reparam/README.md lists the keys and their sources).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "models/linear.h"
#include "models/module.h"
#include "ops/reparam/reparam.h"

namespace lathe::nn {

// A container of named tensors, for the nested keys of PyTorch modules
// ("spectral_normed_weight.u", "parametrizations.weight.0.base").
class TensorHolder : public Module {
 public:
  Tensor param(const std::string& name, Tensor value) { return add_parameter(name, value); }
  Tensor buf(const std::string& name, Tensor value) { return add_buffer(name, value); }
  template <typename M>
  std::shared_ptr<M> child(const std::string& name, std::shared_ptr<M> module) {
    return add_module(name, module);
  }
};

struct LoraLinearOptions {
  int64_t r = 8;
  double alpha = 16.0;
  double dropout = 0.0;
  bool rs = false;                 // rsLoRA: alpha / sqrt(r)
  bool dora = false;               // DoRA: a magnitude vector initialized to W's row norms
  std::string init = "original";   // lora_A: "original" kaiming_uniform(a = sqrt(5)) | "gaussian"
  bool bias = true;
  DType dtype = DType::f32;
  Device device = default_device();
};

// LoRA around a frozen nn.Linear, with peft's keys: base_layer.weight, base_layer.bias (frozen:
// requires_grad false), lora_A.weight [r, in], lora_B.weight [out, r] (0 at init),
// lora_magnitude_vector [out] (DoRA). forward is the lora_linear op; dropout in training only.
class LoraLinear : public Layer {
 public:
  LoraLinear(int64_t in_features, int64_t out_features, LoraLinearOptions options = {});
  Tensor forward(const Tensor& x) override;
  // The base weight with the adapter folded in: W + s B A (DoRA: times m / ||W + s B A||_row).
  Tensor merged_weight() const;

  std::shared_ptr<Linear> base_layer, lora_A, lora_B;
  Tensor magnitude;  // [out]; undefined without DoRA
  LoraLinearOptions options;
};

// nn.Linear whose forward is zero_mean_linear (LinearZeroMeanOutput): keys weight, bias.
class ZeroMeanLinear : public Layer {
 public:
  ZeroMeanLinear(int64_t in_features, int64_t out_features, bool bias = true,
                 DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& x) override;

  Tensor weight, bias;
};

// sigmaReparam's SNLinear (apple/ml-sigma-reparam vision/layers.py): weight [out, in] ~
// trunc_normal(0, 0.02 init_multiplier), bias, the learnable scale `sigma` [1] (gamma) set to
// the top singular value, buffers spectral_normed_weight.u [in] (top right singular vector),
// spectral_normed_weight.spectral_norm [1] (the last sigma of training) and
// effective_spectral_norm [1] (a copy of the learnable scale). forward runs sigma_reparam with
// u as its state: in training u is replaced in place, so a module resumed from its state dict
// continues bit for bit.
class SNLinear : public Layer {
 public:
  SNLinear(int64_t in_features, int64_t out_features, bool bias = true,
           double init_multiplier = 1.0, DType dtype = DType::f32,
           Device device = default_device());
  Tensor forward(const Tensor& x) override;
  Tensor reparameterized_weight();  // gamma W / sigma, with the state update of forward

  Tensor weight, bias, sigma, u, spectral_norm, effective_spectral_norm;
};

// nn.Linear under torch.nn.utils.parametrizations.orthogonal (use_trivialization=True): keys
// parametrizations.weight.original [out, in] (PyTorch's right_inverse sets it to -I),
// parametrizations.weight.0.base [n, n] (the initial weight made orthogonal, n = max(out, in)),
// bias. map: "matrix_exp" | "cayley" | "householder"; "" picks PyTorch's default (matrix_exp
// for square weights, householder otherwise).
class OrthogonalLinear : public Layer {
 public:
  OrthogonalLinear(int64_t in_features, int64_t out_features, bool bias = false,
                   std::string map = "", DType dtype = DType::f32,
                   Device device = default_device());
  Tensor forward(const Tensor& x) override;
  Tensor weight() const;  // the orthogonal weight [out, in]

  Tensor original, base, bias;
  std::string map;
};

// OstQuant's equivalent transform around a linear layer: y = ((x / lam) R) (R^T (lam W^T)) + b,
// keys weight [out, in] (frozen, requires_grad false), bias, rotation [in, in] (the skew
// generator S, 0 at init: R = I), log_scale [in] (0 at init: lam = 1); so the layer starts as
// the plain linear one and only the transform learns. No PyTorch reference module exists; the
// fake quantization of the transformed x and W is the caller's (lsq_fake_quant on transformed()).
class OstLinear : public Layer {
 public:
  OstLinear(int64_t in_features, int64_t out_features, bool bias = true,
            DType dtype = DType::f32, Device device = default_device());
  Tensor forward(const Tensor& x) override;
  // (x', W'^T-shaped [in, out]) before the matmul: what a quantizer acts on.
  std::pair<Tensor, Tensor> transformed(const Tensor& x) const;

  Tensor weight, bias, rotation, log_scale;
};

// hyperlight's HyperNet with the MIP parametrization: z [B, k] (or [k]) -> the primary
// network's tensors, by name. Keys backbone.block<i>_lin.{weight,bias}, backbone.output.weight
// and backbone.output.bias (theta0, the independent weights). Init as hyperlight: kaiming-normal
// fan-out (LeakyReLU gain) for the backbone, zero biases; theta0 kaiming-normal (fan-in) for
// names ending in ".weight", 0 for ".bias" and anything else.
class MIPHyperNet : public Module {
 public:
  MIPHyperNet(int64_t input_dims, std::vector<int64_t> hidden,
              std::vector<std::pair<std::string, Shape>> primary,
              std::string encoding = "cos|sin", DType dtype = DType::f32,
              Device device = default_device());
  // theta(z) unflattened: [B, shape...] per name ([shape...] for a single z of shape [k]).
  std::vector<std::pair<std::string, Tensor>> forward(const Tensor& z);

  std::vector<std::shared_ptr<Linear>> blocks;
  std::shared_ptr<Linear> output;
  std::vector<std::pair<std::string, Shape>> primary;
  std::string encoding;
  int64_t input_dims;
};

}  // namespace lathe::nn
