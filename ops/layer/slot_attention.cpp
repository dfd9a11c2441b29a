// slot_attention: Slot Attention as Slot-TTA runs it (T iterations of competitive attention)
//   X = LN_in(X);  k = X Wk^T + bk;  v = X Wv^T + bv                  [B, N, D]
//   repeat T times:
//     q = LN_s(S) Wq^T + bq                                           [B, K, D]
//     A = softmax over the slots (q k^T / sqrt(D)) + eps              [B, K, N]
//     W = A / sum_n A                  (normalized over the inputs)
//     S = GRUCell(W v, S_prev);  S = S + fc2(relu(fc1(LN_ff(S))))
// returns the slots [B, K, D] and the last iteration's normalized attention W [B, K, N].
// Paper: "Test-time Adaptation with Slot-Centric Models" (Slot-TTA, Prabhudesai et al., ICML
// 2023), after Locatello et al. 2020 (catalog: layer.md). Checked against mihirp1998/Slot-TTA
// models.py (SlotAttention): biased to_q/to_k/to_v, slots from a learnable slots_mu [1, K, D]
// repeated over the batch (no sampling), eps 1e-8 added after the softmax over slots, the GRU's
// hidden state the previous un-normalized slots, the MLP width max(D, hidden_dim) (ModelIter
// passes hidden_dim = D), three LayerNorms (norm_input, norm_slots, norm_pre_ff). The
// reference also returns every iteration's attention (raw + eps and normalized); we return
// the last normalized one. Locatello's sampled start is slots = mu + sigma eps, an input here.
// GRUCell as PyTorch's: gates r, z, n in the rows of weight_ih / weight_hh [3D, D].
// Defaults: T 3, eps 1e-8. Module: nn::SlotAttention (models/layer/layer.h), with the
// reference's parameter names. Composite.
#include <cmath>

#include "ops/composite.h"
#include "ops/layer/layer.h"

namespace lathe {

namespace {

// PyTorch's GRUCell: x, h [M, D]; w_ih, w_hh [3D, D]; b_ih, b_hh [3D].
Tensor gru_cell(const Tensor& x, const Tensor& h, const SlotAttentionParams& p) {
  int64_t d = h.shape()[1];
  Tensor gi = linear(x, p.gru_weight_ih, p.gru_bias_ih);              // [M, 3D]
  Tensor gh = linear(h, p.gru_weight_hh, p.gru_bias_hh);              // [M, 3D]
  Tensor r = sigmoid(narrow(gi, 1, 0, d) + narrow(gh, 1, 0, d));      // [M, D]
  Tensor z = sigmoid(narrow(gi, 1, d, d) + narrow(gh, 1, d, d));      // [M, D]
  Tensor n = tanh(narrow(gi, 1, 2 * d, d) + r * narrow(gh, 1, 2 * d, d));
  return (1.0 - z) * n + z * h;                                       // [M, D]
}

void check_params(const char* op, const SlotAttentionParams& p, int64_t d) {
  auto vec = [&](const char* name, const Tensor& t, int64_t n) {
    check_floating(op, name, t);
    check_shape(op, name, t, {n});
  };
  auto mat = [&](const char* name, const Tensor& t, int64_t rows, int64_t cols) {
    check_floating(op, name, t);
    check_shape(op, name, t, {rows, cols});
  };
  vec("norm_input_weight", p.norm_input_weight, d);
  vec("norm_input_bias", p.norm_input_bias, d);
  vec("norm_slots_weight", p.norm_slots_weight, d);
  vec("norm_slots_bias", p.norm_slots_bias, d);
  vec("norm_pre_ff_weight", p.norm_pre_ff_weight, d);
  vec("norm_pre_ff_bias", p.norm_pre_ff_bias, d);
  mat("to_q_weight", p.to_q_weight, d, d);
  vec("to_q_bias", p.to_q_bias, d);
  mat("to_k_weight", p.to_k_weight, d, d);
  vec("to_k_bias", p.to_k_bias, d);
  mat("to_v_weight", p.to_v_weight, d, d);
  vec("to_v_bias", p.to_v_bias, d);
  mat("gru_weight_ih", p.gru_weight_ih, 3 * d, d);
  mat("gru_weight_hh", p.gru_weight_hh, 3 * d, d);
  vec("gru_bias_ih", p.gru_bias_ih, 3 * d);
  vec("gru_bias_hh", p.gru_bias_hh, 3 * d);
  check_floating(op, "fc1_weight", p.fc1_weight);
  LATHE_CHECK(p.fc1_weight.dim() == 2 && p.fc1_weight.shape()[1] == d, "[", op,
              "] fc1_weight must be [hidden, D = ", d, "], got ", p.fc1_weight.shape());
  int64_t hidden = p.fc1_weight.shape()[0];
  vec("fc1_bias", p.fc1_bias, hidden);
  mat("fc2_weight", p.fc2_weight, d, hidden);
  vec("fc2_bias", p.fc2_bias, d);
}

}  // namespace

std::pair<Tensor, Tensor> slot_attention(const Tensor& x, const Tensor& slots,
                                         const SlotAttentionParams& p, int64_t iters,
                                         double eps) {
  const char* op = "slot_attention";
  check_floating(op, "x", x);
  check_floating(op, "slots", slots);
  LATHE_CHECK(x.dim() == 3, "[", op, "] x must be [B, N, D], got ", x.shape());
  int64_t b = x.shape()[0], d = x.shape()[2];
  LATHE_CHECK(slots.dim() == 3 && (slots.shape()[0] == b || slots.shape()[0] == 1) &&
                  slots.shape()[2] == d,
              "[", op, "] slots must be [B = ", b, " or 1, K, D = ", d, "], got ", slots.shape());
  LATHE_CHECK(iters >= 1, "[", op, "] iters must be >= 1, got ", iters);
  LATHE_CHECK(eps >= 0, "[", op, "] eps must be >= 0, got ", eps);
  check_params(op, p, d);
  int64_t k_slots = slots.shape()[1];
  double scale = 1.0 / std::sqrt(static_cast<double>(d));
  Tensor s = expand(slots, {b, k_slots, d});                          // [B, K, D]
  Tensor xn = layer_norm(x, p.norm_input_weight, p.norm_input_bias);  // [B, N, D]
  Tensor k = linear(xn, p.to_k_weight, p.to_k_bias);                  // [B, N, D]
  Tensor v = linear(xn, p.to_v_weight, p.to_v_bias);                  // [B, N, D]
  Tensor w;
  for (int64_t t = 0; t < iters; ++t) {
    Tensor prev = s;
    Tensor q = linear(layer_norm(s, p.norm_slots_weight, p.norm_slots_bias), p.to_q_weight,
                      p.to_q_bias);                                   // [B, K, D]
    Tensor dots = matmul(q, transpose(k, 1, 2)) * scale;              // [B, K, N]
    Tensor a = softmax(dots, 1) + eps;                                // [B, K, N]
    w = a / sum(a, {-1}, true);                                       // [B, K, N]
    Tensor updates = matmul(w, v);                                    // [B, K, D]
    s = reshape(gru_cell(reshape(updates, {b * k_slots, d}), reshape(prev, {b * k_slots, d}), p),
                {b, k_slots, d});                                     // [B, K, D]
    Tensor ff = layer_norm(s, p.norm_pre_ff_weight, p.norm_pre_ff_bias);
    s = s + linear(relu(linear(ff, p.fc1_weight, p.fc1_bias)), p.fc2_weight, p.fc2_bias);
  }
  return {s, w};
}

LATHE_REGISTER_OPS(slot_attention) {
  static const char* names[] = {
      "norm_input_weight", "norm_input_bias", "norm_slots_weight", "norm_slots_bias",
      "norm_pre_ff_weight", "norm_pre_ff_bias", "to_q_weight", "to_q_bias", "to_k_weight",
      "to_k_bias", "to_v_weight", "to_v_bias", "gru_weight_ih", "gru_weight_hh", "gru_bias_ih",
      "gru_bias_hh", "fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias"};
  OpDef def("slot_attention", "layer");
  def.summary("Slot Attention (Slot-TTA): iterative softmax-over-slots attention with a GRU")
      .paper("Test-time Adaptation with Slot-Centric Models")
      .input("x")
      .input("slots");
  for (const char* n : names) def.input(n);
  def.attr("iters", 3, "attention iterations T >= 1")
      .attr("eps", 1e-8, "added to the attention before normalizing over the inputs")
      .output("slots")
      .output("attn")
      .run([](const OpCall& c) {
        SlotAttentionParams p{c.in("norm_input_weight"), c.in("norm_input_bias"),
                              c.in("norm_slots_weight"), c.in("norm_slots_bias"),
                              c.in("norm_pre_ff_weight"), c.in("norm_pre_ff_bias"),
                              c.in("to_q_weight"), c.in("to_q_bias"), c.in("to_k_weight"),
                              c.in("to_k_bias"), c.in("to_v_weight"), c.in("to_v_bias"),
                              c.in("gru_weight_ih"), c.in("gru_weight_hh"),
                              c.in("gru_bias_ih"), c.in("gru_bias_hh"), c.in("fc1_weight"),
                              c.in("fc1_bias"), c.in("fc2_weight"), c.in("fc2_bias")};
        auto [s, w] = slot_attention(c.in("x"), c.in("slots"), p, c.i("iters"), c.f("eps"));
        return Outputs{s, w};
      });
  registry.add(def);
}

}  // namespace lathe
