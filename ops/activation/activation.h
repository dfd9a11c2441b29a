// Activation family of the catalog (catalog: activation.md, dir ops/activation): elementwise
// and sparsifying activations, each defined in ops/activation/<name>.cpp. All composites.
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace lathe {

// CRReLU(x) = relu(x) + eps x exp(-x^2 / 2), eps a learnable scalar (ops/activation/crrelu.cpp;
// module nn::CRReLU in models/crrelu.h).
Tensor crrelu(const Tensor& x, const Tensor& eps);

// Spark Transformer's statistical top-k along the last dim: theta = mean + std Phi^-1(1 - k/d);
// soft relu(x - theta) or hard x 1[x > theta] (ops/activation/statistical_topk.cpp).
Tensor statistical_topk(const Tensor& x, int64_t k, bool soft = true,
                        bool detach_threshold = false);

// Sparse-autoencoder allocations of H [N, F]: relu of the k largest per row (TopK), of the
// k N largest overall (Mutual Choice), of the m largest per column (Feature Choice); zeros
// elsewhere (ops/activation/{topk,mutual_choice,feature_choice}_activation.cpp).
Tensor topk_activation(const Tensor& h, int64_t k);
Tensor mutual_choice_activation(const Tensor& h, int64_t k);
Tensor feature_choice_activation(const Tensor& h, int64_t m);

// Proximal operators of lambda |x|_1 and of the l0 penalty with threshold lambda (lam
// broadcast to x): sign(x) max(|x| - lam, 0) and x 1[|x| > lam]
// (ops/activation/{soft,hard}_threshold.cpp).
Tensor soft_threshold(const Tensor& x, const Tensor& lam);
Tensor hard_threshold(const Tensor& x, const Tensor& lam);

}  // namespace lathe
