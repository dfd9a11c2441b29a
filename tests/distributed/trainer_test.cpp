// train::Trainer data-parallel (dist::fit with DistributedDataParallel in hook mode) against
// the Trainer alone on the global batches: the same parameters (f64, 1e-12) and the same
// training loss per epoch, and rank 0 alone writes the checkpoint.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "distributed/ddp.h"
#include "distributed/trainer.h"
#include "lathe.h"
#include "tests/distributed/group.h"

using namespace lathe;
using lathe::dist::test::group;

namespace {

data::TensorDataset blobs(int64_t n) {
  std::vector<double> x(static_cast<size_t>(n * 4));
  std::vector<int64_t> y(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    y[i] = i % 3;
    for (int64_t j = 0; j < 4; ++j) x[i * 4 + j] = std::sin(0.7 * i + 1.3 * j) + (j == y[i]);
  }
  return data::TensorDataset({from_vector(x, {n, 4}, DType::f64), from_vector(y, {n})});
}

Tensor ce(const Tensor& logits, const data::Batch& b) { return cross_entropy(logits, b[1]); }

double rel(const Tensor& a, const Tensor& b) {
  std::vector<double> x = a.to_vector<double>(), y = b.to_vector<double>();
  double diff = 0, scale = 1e-30;
  for (size_t i = 0; i < x.size(); ++i) {
    diff = std::max(diff, std::abs(x[i] - y[i]));
    scale = std::max(scale, std::abs(y[i]));
  }
  return diff / scale;
}

}  // namespace

TEST_CASE("trainer: dist::fit equals the Trainer alone on the global batch", "[distributed]") {
  auto& pg = *group();
  int64_t w = pg.world_size(), per_rank = 3;
  int64_t n = 10 * per_rank * w;
  data::TensorDataset ds = blobs(n);
  auto model = std::make_shared<nn::MLP>(4, std::vector<int64_t>{6}, 3, "tanh", 0.0, DType::f64);
  auto alone = std::make_shared<nn::MLP>(4, std::vector<int64_t>{6}, 3, "tanh", 0.0, DType::f64);
  dist::DistributedDataParallelOptions o;
  o.reduce_in_hooks = true;
  dist::DistributedDataParallel ddp(model, group(), o);
  alone->load_state_dict(model->state_dict());

  optim::Adam opt(model->parameters(), 0.01), opt_alone(alone->parameters(), 0.01);
  train::Trainer trainer(*model, opt, ce), trainer_alone(*alone, opt_alone, ce);
  trainer.options().epochs = trainer_alone.options().epochs = 3;
  std::string ckpt = std::string(LATHE_DIST_TEST_DIR) + "/dist_fit.safetensors";
  if (pg.rank() == 0) std::filesystem::remove(ckpt);
  pg.barrier();
  trainer.options().checkpoint_path = ckpt;

  dist::DistributedSampler sampler(n, pg.rank(), w, {true, 5, false});
  std::vector<train::EpochRecord> got = dist::fit(trainer, pg, sampler, ds, per_rank);
  data::DataLoader global(ds, {per_rank * w, true, 5});
  std::vector<train::EpochRecord> want = trainer_alone.fit(global);

  REQUIRE(got.size() == 3);
  REQUIRE(want.size() == 3);
  for (size_t e = 0; e < 3; ++e) {
    CHECK(got[e].train.samples == n);
    CHECK(got[e].train.correct == want[e].train.correct);
    CHECK(got[e].train.loss() == Approx(want[e].train.loss()).epsilon(1e-12));
  }
  std::vector<Tensor> p = model->parameters(), q = alone->parameters();
  for (size_t i = 0; i < p.size(); ++i) CHECK(rel(p[i], q[i]) <= 1e-12);
  CHECK(trainer.options().checkpoint_path.empty() == (pg.rank() != 0));
  CHECK(std::filesystem::exists(ckpt));
  pg.barrier();  // nobody removes the file while another rank still looks for it
}

TEST_CASE("ddp: hook mode refuses accumulated gradients", "[distributed]") {
  auto model = std::make_shared<nn::MLP>(4, std::vector<int64_t>{6}, 3, "tanh", 0.0, DType::f64);
  dist::DistributedDataParallelOptions o;
  o.reduce_in_hooks = true;
  dist::DistributedDataParallel ddp(model, group(), o);
  data::TensorDataset ds = blobs(6);
  data::Batch b = ds.rows(std::vector<int64_t>{0, 1, 2});
  ddp.backward(cross_entropy(model->forward(b[0]), b[1]));
  CHECK(model->parameters()[0].grad().defined());
  CHECK_THROWS_WITH(ddp.backward(cross_entropy(model->forward(b[0]), b[1])),
                    Catch::StartsWith("[DistributedDataParallel] reduce_in_hooks: parameter"));
}
