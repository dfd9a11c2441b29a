// ensloss: EnsLoss, a stochastic ensemble of calibrated losses realized by their derivatives.
// Scores f [B], binary labels y in {0, 1} [B] (mapped to +-1), margins m = y f; each step the
// caller draws u ~ N(0, 1) [B] (an explicit input: deterministic tests):
//   g~ = -exp(u) (inverse Box-Cox, lambda 0), sorted ascending, clipped at >= -1;
//   assigned so that the smallest margin gets the most negative derivative (stable order of the
//   margins: a monotone, hence convex, loss); g_i <- g_i / m_i where m_i > 1;
//   L = mean_i (sg(g_i) - 1e-6) m_i.
// The value is a surrogate with no meaning: only dL/dm_i = (g_i - 1e-6) / B matters (negative
// at m = 0: classification-calibrated). A scalar: the loss declares its own reduction.
// Paper: "EnsLoss: Stochastic Calibrated Loss Ensembles for Preventing Overfitting in
// Classification" (catalog: classification.md; official code statmlben/ensLoss losses.py).
// Defined backward: dL/df_i = y_i (g_i - 1e-6) / B with g a constant (it depends on f through a
// sort); tested against PyTorch's autograd of the same form, not finite differences.
// Composite (the assignment runs on the host, without gradient).
#include "losses/classification/classification.h"
#include "ops/composite.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace lathe {

Tensor ensloss(const Tensor& input, const Tensor& target, const Tensor& u) {
  const char* op = "ensloss";
  check_floating(op, "input", input);
  check_dim(op, "input", input, 1);
  check_floating(op, "u", u);
  check_same_shape(op, "input", input, "u", u);
  LATHE_CHECK(target.defined() && is_integral(target.dtype()) && target.shape() == input.shape(),
              "[", op, "] labels must be integers 0/1 shaped like the input ", input.shape(),
              ", got ", target.defined() ? target.shape() : Shape{});
  std::vector<int64_t> y01 = target.to(DType::i64).to_vector<int64_t>();
  for (int64_t k : y01) LATHE_CHECK(k == 0 || k == 1, "[", op, "] labels must be 0 or 1, got ", k);
  Tensor y = 2.0 * cast(target, input.dtype()) - 1.0;                  // [B] +-1
  Tensor m = y * input;                                                // [B] margins
  std::vector<double> md = m.detach().to(DType::f64).to_vector<double>();
  std::vector<double> g = u.detach().to(DType::f64).to_vector<double>();
  for (double& v : g) v = std::max(-std::exp(v), -1.0);
  std::sort(g.begin(), g.end());                                       // most negative first
  std::vector<int64_t> order(md.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return md[a] < md[b]; });
  std::vector<double> assigned(md.size());
  for (size_t i = 0; i < order.size(); ++i) assigned[order[i]] = g[i];
  for (size_t i = 0; i < md.size(); ++i)
    if (md[i] > 1) assigned[i] /= md[i];
  Tensor g_const = from_vector(assigned, input.shape(), input.dtype(), input.device());
  return mean((g_const - 1e-6) * m);
}

LATHE_REGISTER_OPS(ensloss) {
  registry.add(OpDef("ensloss", "classification")
                   .summary("EnsLoss: a random calibrated loss derivative per sample (surrogate)")
                   .paper("EnsLoss: Stochastic Calibrated Loss Ensembles for Preventing "
                          "Overfitting in Classification")
                   .input("input")
                   .input("target", Kind::integer)
                   .input("u", Kind::floating, kNoGrad)
                   .custom_backward("the derivative g is drawn and assigned by a sort of the "
                                    "margins, then detached: dL/df = y g / B")
                   .own_reduction("a surrogate mean whose gradient, not value, is the point")
                   .output("loss")
                   .run(ensloss));
}

}  // namespace lathe
