// The libtorch side of `lathe bench`: the same workloads written the way a libtorch user would.
#include <torch/torch.h>

#include "tools/lathe/bench.h"

namespace lathe::bench {

namespace {

namespace F = torch::nn::functional;

Step add8() {
  auto a = torch::ones({8}, torch::requires_grad());
  auto b = torch::ones({8}, torch::requires_grad());
  return [a, b] { auto c = a + b; };
}

Step mlp_train_step() {
  struct State {
    torch::nn::Sequential net{torch::nn::Linear(784, 256), torch::nn::ReLU(),
                              torch::nn::Linear(256, 256), torch::nn::ReLU(),
                              torch::nn::Linear(256, 10)};
    torch::optim::SGD opt{net->parameters(), torch::optim::SGDOptions(0.01)};
    torch::Tensor x = torch::randn({64, 784});
    torch::Tensor y = torch::randint(0, 10, {64});
  };
  auto s = std::make_shared<State>();
  return [s] {
    s->opt.zero_grad();
    auto loss = F::cross_entropy(s->net->forward(s->x), s->y);
    loss.backward();
    s->opt.step();
  };
}

Step matmul(int64_t m, int64_t k, int64_t n) {
  auto a = torch::randn({m, k}), b = torch::randn({k, n});
  return [a, b] { auto c = torch::matmul(a, b); };
}

Step softmax_xent() {
  auto x = torch::randn({4096, 1000}, torch::requires_grad());
  auto y = torch::randint(0, 1000, {4096});
  return [x, y]() mutable {
    x.mutable_grad() = torch::Tensor();
    F::cross_entropy(x, y).backward();
  };
}

Step norm_fwd_bwd(bool rms) {
  auto x = torch::randn({4096, 1024}, torch::requires_grad());
  auto w = torch::ones({1024}, torch::requires_grad());
  auto b = torch::zeros({1024}, torch::requires_grad());
  auto g = torch::randn({4096, 1024});
  return [x, w, b, g, rms]() mutable {
    x.mutable_grad() = torch::Tensor();
    w.mutable_grad() = torch::Tensor();
    b.mutable_grad() = torch::Tensor();
    torch::Tensor y;
    if (rms)  // libtorch 1.13 has no rms_norm: the composite a user writes
      y = x * torch::rsqrt((x * x).mean(-1, true) + 1e-6) * w;
    else
      y = F::layer_norm(x, F::LayerNormFuncOptions({1024}).weight(w).bias(b).eps(1e-5));
    y.backward(g);
  };
}

}  // namespace

Step torch_step(const std::string& name) {
  if (name == "add8_fwd") return add8();
  if (name == "mlp_train_step") return mlp_train_step();
  if (name == "matmul_512") return matmul(512, 512, 512);
  if (name == "matmul_64x784x256") return matmul(64, 784, 256);
  if (name == "softmax_xent_fwd_bwd") return softmax_xent();
  if (name == "layer_norm_fwd_bwd") return norm_fwd_bwd(false);
  if (name == "rms_norm_fwd_bwd") return norm_fwd_bwd(true);
  return {};
}

void torch_set_threads(int n) { at::set_num_threads(n); }

std::string torch_version() { return std::string("libtorch ") + TORCH_VERSION; }

}  // namespace lathe::bench
