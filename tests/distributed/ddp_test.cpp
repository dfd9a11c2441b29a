// DistributedDataParallel against single-process training on the concatenated batch: a small
// MLP over 50 SGD steps (momentum 0.9) with the shards of a DistributedSampler on each rank, and
// on every rank the same model trained alone on the global batch (the union of the shards).
// f64: losses and parameters to 1e-12 (max |a - b| / max |b|); f32: to 1e-6, measured 5e-7
// (the summation orders of the two runs differ, so f32 cannot be bit-for-bit); the parameters
// are bit-identical across ranks after every step (checked by allgather).
#include <catch2/catch.hpp>

#include <cmath>
#include <iostream>
#include <random>

#include "distributed/ddp.h"
#include "distributed/sampler.h"
#include "lathe.h"
#include "tests/distributed/group.h"

using namespace lathe;
using lathe::dist::test::group;

namespace {

constexpr int64_t kFeatures = 6, kClasses = 3, kPerRank = 4;

// A fixed synthetic problem, the same on every rank.
data::TensorDataset make_data(int64_t n, DType dtype) {
  std::mt19937_64 rng(12345);
  std::normal_distribution<double> normal;
  std::vector<double> x(static_cast<size_t>(n * kFeatures));
  std::vector<int64_t> y(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    double s = 0;
    for (int64_t j = 0; j < kFeatures; ++j) s += (x[i * kFeatures + j] = normal(rng)) * (j - 2.5);
    y[i] = s < -1 ? 0 : (s < 1 ? 1 : 2);
  }
  return data::TensorDataset({from_vector(x, {n, kFeatures}, DType::f64).to(dtype),
                              from_vector(y, {n})});
}

// Normwise: max |a - b| over max |b| (an elementwise ratio blows up on near-zero weights).
double max_rel_diff(const Tensor& a, const Tensor& b) {
  std::vector<double> x = a.to_vector<double>(), y = b.to_vector<double>();
  double diff = 0, scale = 1e-30;
  for (size_t i = 0; i < x.size(); ++i) {
    diff = std::max(diff, std::abs(x[i] - y[i]));
    scale = std::max(scale, std::abs(y[i]));
  }
  return diff / scale;
}

// Every rank holds bit-identical copies of t.
bool same_on_every_rank(const Tensor& t) {
  Tensor rows = group()->allgather(t.contiguous()).to(DType::f64);
  std::vector<double> v = rows.to_vector<double>();
  size_t n = static_cast<size_t>(t.numel());
  for (size_t r = 1; r * n < v.size(); ++r)
    for (size_t i = 0; i < n; ++i)
      if (v[r * n + i] != v[i]) return false;
  return true;
}

void train_and_compare(DType dtype, int64_t bucket_bytes, double tol) {
  auto& pg = *group();
  int64_t w = pg.world_size();
  int64_t n = 12 * kPerRank * w;  // 12 global batches per epoch, no padding
  data::TensorDataset ds = make_data(n, dtype);

  manual_seed(7 + pg.rank());  // different initial weights on each rank: DDP must align them
  auto model = std::make_shared<nn::MLP>(kFeatures, std::vector<int64_t>{8}, kClasses, "tanh",
                                         0.0, dtype);
  dist::DistributedDataParallelOptions o;
  o.bucket_bytes = bucket_bytes;
  dist::DistributedDataParallel ddp(model, group(), o);
  auto alone = std::make_shared<nn::MLP>(kFeatures, std::vector<int64_t>{8}, kClasses, "tanh",
                                         0.0, dtype);
  alone->load_state_dict(model->state_dict());
  for (auto& [name, p] : model->named_parameters()) REQUIRE(same_on_every_rank(p));

  optim::SGDOptions so;
  so.momentum = 0.9;
  optim::SGD opt(model->parameters(), 0.1, so);
  optim::SGD opt_alone(alone->parameters(), 0.1, so);
  dist::DistributedSampler shard(n, pg.rank(), w, {true, 3, false});
  dist::DistributedSampler whole(n, 0, 1, {true, 3, false});

  int64_t step = 0;
  double worst = 0;
  for (int64_t epoch = 0; step < 50; ++epoch) {
    data::DataLoader::Epoch mine = shard.epoch(ds, kPerRank, epoch);
    data::DataLoader::Epoch all = whole.epoch(ds, kPerRank * w, epoch);
    REQUIRE(mine.size() == all.size());
    for (int64_t i = 0; i < mine.size() && step < 50; ++i, ++step) {
      data::Batch b = mine[i], g = all[i];
      opt.zero_grad();
      Tensor loss = cross_entropy(model->forward(b[0]), b[1]);
      ddp.backward(loss);
      opt.step();
      opt_alone.zero_grad();
      Tensor loss_alone = cross_entropy(alone->forward(g[0]), g[1]);
      loss_alone.backward();
      opt_alone.step();

      Tensor global_loss = loss.detach().to(DType::f64).contiguous();
      pg.allreduce(global_loss, dist::ReduceOp::mean);
      INFO("step " << step);
      CHECK(max_rel_diff(global_loss, loss_alone) <= tol);
      worst = std::max(worst, max_rel_diff(global_loss, loss_alone));
      for (auto& [name, p] : model->named_parameters()) {
        INFO(name);
        CHECK(same_on_every_rank(p));
        double d = max_rel_diff(p, alone->state_dict().at(name));
        CHECK(d <= tol);
        worst = std::max(worst, d);
      }
    }
  }
  if (pg.rank() == 0)
    std::cout << "ddp vs one process, " << dtype_name(dtype) << ", np " << w << ", buckets of "
              << bucket_bytes << " B: worst relative difference over 50 steps " << worst << "\n";
}

// A parameter that takes no part in the loss.
class WithSpare : public nn::Module {
 public:
  WithSpare() {
    used = add_parameter("used", from_vector(std::vector<double>{1, 2, 3}, {3}));
    spare = add_parameter("spare", from_vector(std::vector<double>{5}, {1}));
  }
  Tensor used, spare;
};

}  // namespace

TEST_CASE("ddp: f64 training equals one process on the global batch, one bucket",
          "[distributed]") {
  train_and_compare(DType::f64, 25 << 20, 1e-12);
}

TEST_CASE("ddp: f64, buckets of 40 bytes split parameters", "[distributed]") {
  train_and_compare(DType::f64, 40, 1e-12);
}

TEST_CASE("ddp: f32 training within 1e-6 of one process", "[distributed]") {
  train_and_compare(DType::f32, 256, 1e-6);
}

TEST_CASE("ddp: bucket layout", "[distributed]") {
  auto model = std::make_shared<nn::MLP>(kFeatures, std::vector<int64_t>{8}, kClasses, "tanh",
                                         0.0, DType::f64);
  int64_t total = kFeatures * 8 + 8 + 8 * kClasses + kClasses;  // 83 elements
  dist::DistributedDataParallelOptions o;
  o.bucket_bytes = 25 << 20;
  dist::DistributedDataParallel one(model, group(), o);
  REQUIRE(one.buckets().size() == 1);
  CHECK(one.buckets()[0].end - one.buckets()[0].begin == total);
  o.bucket_bytes = 80;  // 10 doubles: the 48-element first weight spans five buckets
  dist::DistributedDataParallel many(model, group(), o);
  REQUIRE(many.buckets().size() == static_cast<size_t>((total + 9) / 10));
  CHECK(many.buckets().back().end == total);
  for (size_t i = 1; i < many.buckets().size(); ++i)
    CHECK(many.buckets()[i].begin == many.buckets()[i - 1].end);
  o.bucket_bytes = 0;
  CHECK_THROWS_WITH(dist::DistributedDataParallel(model, group(), o),
                    Catch::StartsWith("[DistributedDataParallel] bucket_bytes must be positive"));
}

// Two micro-batches, the first under no_sync: the result is the mean over ranks of the
// accumulated gradients, i.e. one process accumulating the two global batches' gradients.
TEST_CASE("ddp: no_sync accumulates locally, the next backward syncs the sum", "[distributed]") {
  auto& pg = *group();
  int64_t w = pg.world_size();
  int64_t n = 2 * kPerRank * w;
  data::TensorDataset ds = make_data(n, DType::f64);
  auto model = std::make_shared<nn::MLP>(kFeatures, std::vector<int64_t>{8}, kClasses, "tanh",
                                         0.0, DType::f64);
  dist::DistributedDataParallel ddp(model, group());
  auto alone = std::make_shared<nn::MLP>(kFeatures, std::vector<int64_t>{8}, kClasses, "tanh",
                                         0.0, DType::f64);
  alone->load_state_dict(model->state_dict());
  dist::DistributedSampler shard(n, pg.rank(), w, {true, 11, false});
  dist::DistributedSampler whole(n, 0, 1, {true, 11, false});
  data::DataLoader::Epoch mine = shard.epoch(ds, kPerRank, 0);
  data::DataLoader::Epoch all = whole.epoch(ds, kPerRank * w, 0);
  REQUIRE(mine.size() == 2);
  {
    auto guard = ddp.no_sync();
    ddp.backward(cross_entropy(model->forward(mine[0][0]), mine[0][1]));
  }
  // Not synced: the local gradients still differ between ranks.
  CHECK_FALSE(same_on_every_rank(model->parameters()[0].grad()));
  ddp.backward(cross_entropy(model->forward(mine[1][0]), mine[1][1]));
  for (int64_t i = 0; i < 2; ++i) cross_entropy(alone->forward(all[i][0]), all[i][1]).backward();
  std::vector<Tensor> p = model->parameters(), q = alone->parameters();
  for (size_t i = 0; i < p.size(); ++i) {
    CHECK(same_on_every_rank(p[i].grad()));
    CHECK(max_rel_diff(p[i].grad(), q[i].grad()) <= 1e-12);
  }
}

TEST_CASE("ddp: unused parameters are refused, or zero with find_unused_parameters",
          "[distributed]") {
  auto& pg = *group();
  auto model = std::make_shared<WithSpare>();
  dist::DistributedDataParallel strict(model, group());
  Tensor loss = sum(mul(model->used, scalar(pg.rank() + 1.0, DType::f64)));
  CHECK_THROWS_WITH(strict.backward(loss),
                    Catch::StartsWith("[DistributedDataParallel] parameters without a gradient") &&
                        Catch::Contains("'spare'"));
  model->zero_grad();
  dist::DistributedDataParallelOptions o;
  o.find_unused_parameters = true;
  dist::DistributedDataParallel lenient(model, group(), o);
  lenient.backward(sum(mul(model->used, scalar(pg.rank() + 1.0, DType::f64))));
  double w = pg.world_size();
  double mean = (w + 1) / 2;  // d/d used of (rank + 1) * sum(used), averaged
  CHECK(model->used.grad().to_vector<double>() == std::vector<double>{mean, mean, mean});
  CHECK(model->spare.grad().to_vector<double>() == std::vector<double>{0});
}
