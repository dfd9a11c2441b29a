// arl_entropy_weighting: the loss part and the fusion weights of ARL (a procedure: the two
// weights are handed to the fusion module each step; tests/losses/other_procedures_test.cpp
// runs it on a tiny two-branch model). From audio and visual logits z_a, z_v [B, C], without
// gradient:
//   H_m = mean_b sum_c -p log(p + 1e-16) (p = softmax z_m), shares H_a / (H_a + H_v) clamped
//   >= 0.3, inverse weights 1/H normalized to sum 1 (a_w, v_w); magnitudes
//   c_m = sum_c mean_b |z_m| normalized to sum 1; weights softmax(T [c_v a_w, c_a v_w]).
// Loss: CE(fused) + gamma (CE(audio head) + CE(visual head)).
// Paper: "Improving Multimodal Learning via Imbalanced Learning" (ARL, ICCV 2025); code
// shicaiwei123/ICCV2025-ARL main_arl_variance.py (catalog: other.md). Checked against the
// script. NOTE: it differs from the catalog's reading: entropies are not divided by log C but
// normalized by their sum before the 0.3 clamp, and the inverse-entropy weights are
// normalized too. The script modulates only after epoch `start` (5) once either head has
// nonzero accuracy, using 0.5 / 0.5 and gamma 1 before: that schedule is the caller's.
// Defaults: T 8, gamma 1.
#include <cmath>

#include "losses/classification/classification.h"
#include "losses/other/other.h"
#include "ops/composite.h"

namespace lathe {

Tensor arl_weights(const Tensor& logits_a, const Tensor& logits_v, double T) {
  const char* op = "arl_weights";
  check_floating(op, "logits_a", logits_a);
  check_floating(op, "logits_v", logits_v);
  check_dim(op, "logits_a", logits_a, 2);
  check_same_shape(op, "logits_a", logits_a, "logits_v", logits_v);
  NoGradGuard no_grad;
  auto entropy = [](const Tensor& z) {
    Tensor p = softmax(z.detach(), 1);                                // [B, C]
    return mean(sum(-p * log(p + 1e-16), {1})).item();
  };
  double h_a = entropy(logits_a), h_v = entropy(logits_v);
  double ha_n = std::max(h_a / (h_a + h_v), 0.3), hv_n = std::max(h_v / (h_a + h_v), 0.3);
  double a_w = 1.0 / ha_n, v_w = 1.0 / hv_n;
  double a_wn = a_w / (a_w + v_w), v_wn = v_w / (a_w + v_w);
  double m_a = sum(mean(abs(logits_a.detach()), {0})).item();
  double m_v = sum(mean(abs(logits_v.detach()), {0})).item();
  // Both heads at zero logits: equal shares (the script would divide 0 by 0).
  double c_a = m_a + m_v > 0 ? m_a / (m_a + m_v) : 0.5, c_v = 1.0 - c_a;
  Tensor s = from_vector(std::vector<double>{T * c_v * a_wn, T * c_a * v_wn}, {2},
                         logits_a.dtype(), logits_a.device());
  return softmax(s, 0);                                               // [2]
}

Tensor arl_loss(const Tensor& logits_fused, const Tensor& logits_a, const Tensor& logits_v,
                const Tensor& target, double gamma) {
  return cross_entropy(logits_fused, target) +
         gamma * (cross_entropy(logits_a, target) + cross_entropy(logits_v, target));
}

}  // namespace lathe
