// Straight-through quantizers (catalog: reparam.md, dir ops/quant): each in
// ops/quant/<name>.cpp, a custom-backward op (ops/custom_op.h) whose backward is its definition.
#pragma once

#include "core/tensor.h"

namespace lathe {

// sign(x) forward; ReSTE's rectified backward g(x) (ops/quant/reste_sign.cpp).
Tensor reste_sign(const Tensor& x, double o = 3.0, double t = 1.5, double delta = 0.1);

// LSQ fake quantization as EQ-Net: round_ste(clamp((x - b')/s', Qn, Qp)) s' + b' with
// s' = |s| + 1e-6 and b' = |beta| (0 when beta is undefined), their gradients scaled by g
// (g <= 0: 1/sqrt(Qp numel(x))) (ops/quant/lsq_fake_quant.cpp).
Tensor lsq_fake_quant(const Tensor& x, const Tensor& s, const Tensor& beta = Tensor(),
                      int64_t bits = 4, bool all_positive = false, double g = -1.0);

// ShiftQuant's group quantization with power-of-two scales: groups of `group` consecutive
// elements, s = 2^ceil(log2(max|x_g| / qmax)), clamp(round(x / s), -qmax, qmax) s; the backward
// is straight-through (ops/quant/shiftquant.cpp).
Tensor shiftquant(const Tensor& x, int64_t bits = 4, int64_t group = 4);

// JLCM's codebook quantization: each weight replaced by its nearest codeword of codebook [K];
// straight-through to w, the exact sum of assigned gradients to the codebook
// (ops/quant/jlcm_codebook_ste.cpp).
Tensor jlcm_codebook_ste(const Tensor& w, const Tensor& codebook);

}  // namespace lathe
