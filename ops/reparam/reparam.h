// Weight reparameterizations of the catalog (catalog: reparam.md, dir ops/reparam), each in
// ops/reparam/<name>.cpp; module forms in models/reparam.h. README.md in this folder has the
// formulas, the module keys and what was checked against which source.
#pragma once

#include <string>
#include <utility>

#include "core/tensor.h"

namespace lathe {

// ---- LoRA / rsLoRA / DoRA (lora_linear.cpp) ----
struct LoraOptions {
  double alpha = 16.0;     // the scale is alpha / r (rs: alpha / sqrt(r)), r = A's rows
  bool rs = false;         // rsLoRA scaling alpha / sqrt(r)
  double p = 0.0;          // dropout on the adapter's input
  bool training = false;   // dropout only acts in training
};
// y = x W^T + b + s B A dropout(x); with the DoRA magnitude m [out]:
// y = (m / sg(||W + s B A||_row)) (x W^T + s B A dropout(x)) + b.
// x [..., in], W [out, in], b [out] or undefined, A [r, in], B [out, r] -> [..., out].
Tensor lora_linear(const Tensor& x, const Tensor& weight, const Tensor& bias, const Tensor& lora_a,
                   const Tensor& lora_b, const Tensor& magnitude, const LoraOptions& options);

// ---- zero-mean output linear (zero_mean_linear.cpp) ----
// y = x (W - mean_rows(W))^T + (b - mean(b)): every output vector sums to 0.
// x [..., in], W [out, in], b [out] or undefined -> [..., out].
Tensor zero_mean_linear(const Tensor& x, const Tensor& weight, const Tensor& bias);

// ---- sigma reparam (sigma_reparam.cpp) ----
struct SigmaReparamResult {
  Tensor weight;  // gamma W / sigma(W), W's shape
  Tensor sigma;   // v^T W u' [] (differentiable in W through W only)
  Tensor u;       // the power-iteration vector after this call [in] (unchanged in eval)
};
// One power iteration (no grad): v = normalize(W u), u' = normalize(W^T v); sigma = v^T W u'
// with u', v constants; W [out, in...] (flattened to [out, in]), gamma [] or [1], u [in].
SigmaReparamResult sigma_reparam(const Tensor& weight, const Tensor& gamma, const Tensor& u,
                                 bool training = true);

// ---- magnitude-invariant hypernetwork (mip_hypernet.cpp) ----
// The input encoding of gamma in [0, 1]^k: "cos|sin" -> [cos(pi g/2), sin(pi g/2)], or
// "z|1-z" -> [g, 1 - g]; z [..., k] -> [..., 2k].
Tensor mip_encode(const Tensor& z, const std::string& encoding = "cos|sin");
// theta = W_out leaky_relu(W_h e(z) + b_h) + theta0: one hidden layer (the module stacks more).
// z [B, k], w_hidden [H, 2k], b_hidden [H] or undefined, w_out [P, H], theta0 [P] -> [B, P].
Tensor mip_hypernet(const Tensor& z, const Tensor& w_hidden, const Tensor& b_hidden,
                    const Tensor& w_out, const Tensor& theta0,
                    const std::string& encoding = "cos|sin", double negative_slope = 0.01);

// ---- orthogonal weights (orthogonal_linear.cpp), torch.nn.utils.parametrizations.orthogonal ----
// exp(A) by scaling and squaring of a Taylor series (a composite: differentiable to any order).
Tensor matrix_exp(const Tensor& a);
// The orthogonal weight of X [n, k]: map "matrix_exp" | "cayley" | "householder" (PyTorch's
// forward, transposed when n < k), times base [max(n,k), max(n,k)] on the left when defined.
Tensor orthogonal_linear(const Tensor& x, const Tensor& base, const std::string& map = "matrix_exp");

// ---- weight compander (weight_compander.cpp) ----
// a sign(w) ln(1 + b |w|) / ln(1 + b), a and b one value each (a placeholder curve: the paper's
// formula is unverified, see the .cpp). w [...] -> w's shape.
Tensor weight_compander(const Tensor& w, const Tensor& a, const Tensor& b);

// ---- DKM differentiable k-means (dkm_cluster_weights.cpp) ----
struct DkmOptions {
  double tau = 1e-4;     // softmax temperature on squared distances
  int64_t max_iter = 3;  // attention iterations
  double tol = 1e-4;     // early stop when the inertia changes by at most tol
  double floor = 1e-7;   // attention floor (keeps every cluster's mass > 0)
  bool training = true;  // false: hard assignment to the nearest centroid
};
struct DkmResult {
  Tensor weight;     // the clustered weights A C [N, d]
  Tensor centroids;  // the final centroids, detached: the next call's start [K, d]
};
// w [N, d], c0 [K, d] (a constant start) -> (A C, sg(C)).
DkmResult dkm_cluster_weights(const Tensor& w, const Tensor& c0, const DkmOptions& options = {});

// ---- OstQuant's equivalent transform (ost_equivalent_transform.cpp) ----
// R = exp(tril(S, -1) - tril(S, -1)^T), lam = exp(log_scale):
// (X / lam) R and R^T (lam W); their product is X W. X [..., d], W [d, out], S [d, d], log_scale [d].
std::pair<Tensor, Tensor> ost_equivalent_transform(const Tensor& x, const Tensor& w,
                                                   const Tensor& s, const Tensor& log_scale);

}  // namespace lathe
