// A two-layer MLP whose backward pass is written by hand with plain loops (llm.c style),
// checked against autograd. It doubles as documentation of what autograd computes:
//
//   pre    = x W1^T + b1          [B, H]
//   h      = tanh(pre)            [B, H]
//   logits = h W2^T + b2          [B, C]
//   loss   = mean_b -log_softmax(logits)[b, label_b]
#include <catch2/catch.hpp>

#include <cmath>

#include "lathe.h"

using namespace lathe;

namespace {
constexpr int B = 5, D = 4, H = 6, C = 3;

struct Grads {
  std::vector<double> w1, b1, w2, b2;
};

// Forward and backward with loops over plain arrays; returns the loss.
double mlp_by_hand(const std::vector<double>& x, const std::vector<int64_t>& labels,
                   const std::vector<double>& w1, const std::vector<double>& b1,
                   const std::vector<double>& w2, const std::vector<double>& b2, Grads& g) {
  std::vector<double> h(B * H), logits(B * C), probs(B * C);
  for (int b = 0; b < B; ++b)
    for (int j = 0; j < H; ++j) {
      double acc = b1[j];
      for (int i = 0; i < D; ++i) acc += x[b * D + i] * w1[j * D + i];
      h[b * H + j] = std::tanh(acc);
    }
  double loss = 0;
  for (int b = 0; b < B; ++b) {
    double m = -INFINITY;
    for (int c = 0; c < C; ++c) {
      double acc = b2[c];
      for (int j = 0; j < H; ++j) acc += h[b * H + j] * w2[c * H + j];
      logits[b * C + c] = acc;
      m = std::max(m, acc);
    }
    double z = 0;
    for (int c = 0; c < C; ++c) z += std::exp(logits[b * C + c] - m);
    for (int c = 0; c < C; ++c) probs[b * C + c] = std::exp(logits[b * C + c] - m) / z;
    loss -= (logits[b * C + labels[b]] - m - std::log(z)) / B;
  }
  // d loss / d logits = (softmax - one_hot) / B
  std::vector<double> dlogits(B * C), dh(B * H, 0.0);
  for (int b = 0; b < B; ++b)
    for (int c = 0; c < C; ++c)
      dlogits[b * C + c] = (probs[b * C + c] - (labels[b] == c ? 1.0 : 0.0)) / B;
  g.w2.assign(C * H, 0.0);
  g.b2.assign(C, 0.0);
  for (int b = 0; b < B; ++b)
    for (int c = 0; c < C; ++c) {
      g.b2[c] += dlogits[b * C + c];
      for (int j = 0; j < H; ++j) {
        g.w2[c * H + j] += dlogits[b * C + c] * h[b * H + j];
        dh[b * H + j] += dlogits[b * C + c] * w2[c * H + j];
      }
    }
  // through tanh: d pre = dh (1 - h^2)
  g.w1.assign(H * D, 0.0);
  g.b1.assign(H, 0.0);
  for (int b = 0; b < B; ++b)
    for (int j = 0; j < H; ++j) {
      double dpre = dh[b * H + j] * (1 - h[b * H + j] * h[b * H + j]);
      g.b1[j] += dpre;
      for (int i = 0; i < D; ++i) g.w1[j * D + i] += dpre * x[b * D + i];
    }
  return loss;
}

void check_close(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) CHECK(std::fabs(a[i] - b[i]) <= 1e-10);
}
}  // namespace

TEST_CASE("a two-layer MLP's hand-written backward matches autograd to 1e-10", "[unit][autograd]") {
  manual_seed(42);
  Tensor x = randn({B, D}, DType::f64);
  Tensor labels = from_vector(std::vector<int64_t>{0, 2, 1, 1, 0}, {B});
  Tensor w1 = (randn({H, D}, DType::f64) * 0.5).requires_grad_();
  Tensor b1 = (randn({H}, DType::f64) * 0.1).requires_grad_();
  Tensor w2 = (randn({C, H}, DType::f64) * 0.5).requires_grad_();
  Tensor b2 = (randn({C}, DType::f64) * 0.1).requires_grad_();

  Tensor h = tanh(linear(x, w1, b1));                       // [B, H]
  Tensor logp = log_softmax(linear(h, w2, b2), -1);         // [B, C]
  Tensor picked = gather(logp, unsqueeze(labels, 1), 1);    // [B, 1]
  Tensor loss = -mean(picked);
  loss.backward();

  Grads g;
  double expected = mlp_by_hand(x.to_vector<double>(), labels.to_vector<int64_t>(),
                                w1.to_vector<double>(), b1.to_vector<double>(),
                                w2.to_vector<double>(), b2.to_vector<double>(), g);
  CHECK(std::fabs(loss.item() - expected) <= 1e-12);
  check_close(w1.grad().to_vector<double>(), g.w1);
  check_close(b1.grad().to_vector<double>(), g.b1);
  check_close(w2.grad().to_vector<double>(), g.w2);
  check_close(b2.grad().to_vector<double>(), g.b2);
}
