// Two trainers in two threads (issue 15): an application may train two models at once, each in
// its own thread, on the default device (the cpu backend's OpenMP pool and oneDNN are then
// shared). Each thread's losses and final weights must equal, bit for bit, those of the same run
// done alone on the main thread. This program is a CTest test in every build and the workload of
// the ThreadSanitizer build (README.md), which must report no race.
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "lathe.h"
#include "models/trainer.h"

using namespace lathe;

namespace {

struct Result {
  std::vector<double> losses;
  std::vector<float> weights;
};

// 4 classes from a fixed linear rule on 16 features, 128 samples: x [n, 16] f32, y [n] i64.
data::TensorDataset toy(uint64_t seed) {
  Generator gen(seed);
  Tensor x = randn({128, 16}, DType::f32, default_device(), &gen);
  Tensor w = randn({16, 4}, DType::f32, default_device(), &gen);
  return data::TensorDataset({x, argmax(matmul(x, w), -1)});
}

struct Losses : train::Callback {
  std::vector<double>* out;
  double previous = 0;
  explicit Losses(std::vector<double>* o) : out(o) {}
  void on_epoch_begin(train::Trainer& t, int64_t) override { previous = t.running().loss_sum; }
  void on_batch_end(train::Trainer&, int64_t, int64_t, const train::Metrics& m) override {
    out->push_back(m.loss_sum - previous);
    previous = m.loss_sum;
  }
};

// Everything a run needs, built on the calling thread (model initialization draws from the
// default generator, which is shared); train() may then run on any thread.
struct Run {
  data::TensorDataset data;
  std::unique_ptr<nn::MLP> model;
  std::unique_ptr<optim::AdamW> opt;
  Result result;

  explicit Run(uint64_t seed) : data(toy(seed)) {
    manual_seed(seed);
    model = std::make_unique<nn::MLP>(16, std::vector<int64_t>{32}, 4);
    opt = std::make_unique<optim::AdamW>(model->parameters(), 1e-2);
  }

  void train() {
    data::DataLoaderOptions o;
    o.batch_size = 16;
    o.shuffle = true;
    o.seed = 3;
    data::DataLoader loader(data, o);
    train::Trainer t(*model, *opt, [](const Tensor& logits, const data::Batch& b) {
      return cross_entropy(logits, b[1]);
    });
    t.options().epochs = 3;
    t.add_callback(std::make_shared<Losses>(&result.losses));
    t.fit(loader);
    result.weights = model->parameters()[0].to_vector<float>();
  }
};

bool same(const Result& a, const Result& b) {
  return a.losses.size() == b.losses.size() && !a.losses.empty() &&
         std::memcmp(a.losses.data(), b.losses.data(), a.losses.size() * sizeof(double)) == 0 &&
         a.weights == b.weights;
}

}  // namespace

int main() {
  try {
    Run alone_a(11), alone_b(12);
    alone_a.train();
    alone_b.train();

    Run a(11), b(12);
    std::thread ta([&] { a.train(); }), tb([&] { b.train(); });
    ta.join();
    tb.join();

    bool ok = same(a.result, alone_a.result) && same(b.result, alone_b.result) &&
              !same(a.result, b.result);
    std::printf("two_trainers: %zu steps per run, threaded runs %s the runs alone\n",
                a.result.losses.size(), ok ? "equal" : "DIFFER FROM");
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "two_trainers: %s\n", e.what());
    return 1;
  }
}
