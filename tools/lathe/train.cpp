// `lathe train`: the main job. For now it trains a small MLP on a generated three-arm spiral
// (2-D points, 3 classes) with hand-written SGD and prints the loss falling; the trainer issue
// replaces it with the Fashion-MNIST distillation run.
#include <chrono>
#include <cmath>
#include <cstdio>

#include "lathe.h"
#include "tools/lathe/commands.h"

namespace lathe::cli {

namespace {

struct TrainOptions {
  int epochs = 30;
  int hidden = 64;
  int batch = 32;
  int points_per_class = 200;
  double lr = 0.1;
  double momentum = 0.9;
  uint64_t seed = 0;
  std::string device;
};

// Three interleaved spiral arms with Gaussian noise: x [3n, 2] (f32), labels [3n] (i64).
std::pair<Tensor, Tensor> spiral(int n, Device device) {
  std::vector<float> xy;
  std::vector<int64_t> labels;
  std::vector<double> noise = randn({3 * n}, DType::f64, Device::reference()).to_vector<double>();
  for (int k = 0; k < 3; ++k) {
    for (int i = 0; i < n; ++i) {
      double r = static_cast<double>(i) / n;
      double t = 4.0 * k + 4.0 * r + 0.2 * noise[k * n + i];
      xy.push_back(static_cast<float>(r * std::sin(t)));
      xy.push_back(static_cast<float>(r * std::cos(t)));
      labels.push_back(k);
    }
  }
  return {from_vector(xy, {3 * n, 2}, device), from_vector(labels, {3 * n}, device)};
}

// PyTorch's nn.Linear initialization: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias.
std::pair<Tensor, Tensor> init_linear(int in, int out, Device device) {
  double bound = 1.0 / std::sqrt(static_cast<double>(in));
  Tensor w = uniform({out, in}, -bound, bound, DType::f32, device).requires_grad_();
  Tensor b = uniform({out}, -bound, bound, DType::f32, device).requires_grad_();
  return {w, b};
}

void run(const TrainOptions& o) {
  Device device = o.device.empty() ? default_device() : Device::parse(o.device);
  manual_seed(o.seed);
  auto [x, y] = spiral(o.points_per_class, device);
  int64_t n = x.shape()[0];
  auto [w1, b1] = init_linear(2, o.hidden, device);
  auto [w2, b2] = init_linear(o.hidden, o.hidden, device);
  auto [w3, b3] = init_linear(o.hidden, 3, device);
  std::vector<Tensor> params = {w1, b1, w2, b2, w3, b3};
  std::vector<Tensor> velocity;
  for (const Tensor& p : params) velocity.push_back(zeros_like(p.detach()));

  auto forward = [&](const Tensor& input) {
    Tensor h = tanh(linear(input, w1, b1));
    h = tanh(linear(h, w2, b2));
    return linear(h, w3, b3);  // [B, 3]
  };

  std::printf("lathe train: MLP 2-%d-%d-3 on a 3-class spiral (%lld points), device %s\n",
              o.hidden, o.hidden, static_cast<long long>(n), device.str().c_str());
  auto start = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    Tensor order = sort(rand({n}, DType::f32, device)).second;  // a random permutation
    double total = 0;
    for (int64_t begin = 0; begin < n; begin += o.batch) {
      int64_t len = std::min<int64_t>(o.batch, n - begin);
      Tensor idx = narrow(order, 0, begin, len);
      Tensor loss = cross_entropy(forward(index_select(x, idx, 0)), index_select(y, idx, 0));
      loss.backward();
      NoGradGuard no_grad;  // SGD with momentum: v = mu v + g; p -= lr v
      for (size_t i = 0; i < params.size(); ++i) {
        velocity[i].mul_(o.momentum).add_(params[i].grad());
        params[i].sub_(velocity[i] * o.lr);
        params[i].zero_grad();
      }
      total += loss.item() * static_cast<double>(len);
    }
    NoGradGuard no_grad;
    double accuracy = mean(cast(eq(argmax(forward(x), -1), y), DType::f32)).item();
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("epoch %3d  loss %.4f  accuracy %5.1f%%  %.1fs\n", epoch,
                total / static_cast<double>(n), 100 * accuracy, seconds);
  }
}

}  // namespace

void add_train(CLI::App& app) {
  auto o = std::make_shared<TrainOptions>();
  auto* cmd = app.add_subcommand("train", "Train the default model (an MLP on a generated spiral)");
  cmd->footer("Example: lathe train --epochs 10 --hidden 32");
  cmd->add_option("--epochs", o->epochs, "Passes over the data")->check(CLI::PositiveNumber);
  cmd->add_option("--hidden", o->hidden, "Hidden units per layer")->check(CLI::PositiveNumber);
  cmd->add_option("--batch", o->batch, "Minibatch size")->check(CLI::PositiveNumber);
  cmd->add_option("--points", o->points_per_class, "Points per class")->check(CLI::PositiveNumber);
  cmd->add_option("--lr", o->lr, "Learning rate")->check(CLI::PositiveNumber);
  cmd->add_option("--momentum", o->momentum, "SGD momentum")->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--seed", o->seed, "Random seed");
  cmd->add_option("--device", o->device, "Device (default: LATHE_DEVICE or the fastest built in)");
  cmd->callback([o] { run(*o); });
}

}  // namespace lathe::cli
