// models/trainer: the fit loop, evaluation, and checkpoints that resume a run with a
// bitwise-identical loss curve (mid-epoch, with dropout and a scheduler), and clear errors for a
// checkpoint that does not fit.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

#include "lathe.h"
#include "models/trainer.h"

using namespace lathe;

namespace {

// 4 classes from a fixed linear rule on 16 features: x [n, 16] f32, y [n] i64.
data::TensorDataset toy(int64_t n, uint64_t seed) {
  Generator gen(seed);
  Tensor x = randn({n, 16}, DType::f32, default_device(), &gen);
  Tensor w = randn({16, 4}, DType::f32, default_device(), &gen);
  Tensor y = argmax(matmul(x, w), -1);
  return data::TensorDataset({x, y});
}

// The loss of every optimizer step, recovered from the epoch's running sums; interrupts fit()
// after `stop_after` steps when it is set.
struct Recorder : train::Callback {
  std::vector<double> losses;
  double previous = 0;
  int64_t stop_after = -1;
  // 0, or a resumed epoch's sums so far.
  void on_epoch_begin(train::Trainer& t, int64_t) override { previous = t.running().loss_sum; }
  void on_batch_end(train::Trainer& t, int64_t, int64_t, const train::Metrics& m) override {
    losses.push_back(m.loss_sum - previous);
    previous = m.loss_sum;
    if (stop_after >= 0 && t.step() == stop_after) train::Trainer::interrupt();
  }
};

struct Run {
  std::shared_ptr<nn::MLP> model;
  std::unique_ptr<optim::AdamW> opt;
  std::unique_ptr<optim::CosineWarmupLR> sched;
  std::unique_ptr<train::Trainer> trainer;
  std::shared_ptr<Recorder> recorder = std::make_shared<Recorder>();

  explicit Run(uint64_t init_seed, int64_t epochs = 3) {
    manual_seed(init_seed);
    model = std::make_shared<nn::MLP>(16, std::vector<int64_t>{32}, 4, "relu", 0.25);
    opt = std::make_unique<optim::AdamW>(model->parameters(), 1e-2);
    sched = std::make_unique<optim::CosineWarmupLR>(*opt, 4, epochs * 8);
    trainer = std::make_unique<train::Trainer>(
        *model, *opt, [](const Tensor& logits, const data::Batch& b) {
          return cross_entropy(logits, b[1]);
        });
    trainer->set_scheduler(sched.get());
    trainer->options().epochs = epochs;
    trainer->add_callback(recorder);
  }
};

data::DataLoader loader(const data::TensorDataset& d, bool shuffle) {
  data::DataLoaderOptions o;
  o.batch_size = 32;
  o.shuffle = shuffle;
  o.seed = 7;
  return data::DataLoader(d, o);
}

std::string scratch(const std::string& name) {
  return std::string(LATHE_BINARY_DIR) + "/trainer_test_" + name;
}

}  // namespace

TEST_CASE("Trainer: fit lowers the loss, counts accuracy, and evaluates in eval mode",
          "[unit][trainer]") {
  data::TensorDataset d = toy(256, 1);
  data::DataLoader train_loader = loader(d, true), eval_loader = loader(d, false);
  Run run(0, 6);
  std::vector<train::EpochRecord> h = run.trainer->fit(train_loader, &eval_loader);
  REQUIRE(h.size() == 6);
  CHECK(run.recorder->losses.size() == 6 * 8);
  CHECK(h.back().train.samples == 256);
  CHECK(h.back().train.labelled == 256);
  CHECK(h.back().train.loss() < 0.6 * h.front().train.loss());
  CHECK(h.back().eval.accuracy() > 0.8);
  CHECK(run.trainer->step() == 48);
  CHECK(run.trainer->epoch() == 6);
  CHECK(run.model->is_training());  // evaluate() restores the mode
  // Evaluation does not depend on dropout: twice the same numbers.
  train::Metrics a = run.trainer->evaluate(eval_loader), b = run.trainer->evaluate(eval_loader);
  CHECK(a.loss_sum == b.loss_sum);
  CHECK(a.correct == b.correct);
}

TEST_CASE("Trainer: a run resumed from a mid-epoch checkpoint repeats the loss curve bit for bit",
          "[unit][trainer]") {
  data::TensorDataset d = toy(256, 2);
  data::DataLoader train_loader = loader(d, true);
  Run full(3);
  full.trainer->fit(train_loader);
  REQUIRE(full.recorder->losses.size() == 24);

  std::string ckpt = scratch("resume.safetensors");
  std::remove(ckpt.c_str());
  Run first(3);
  first.trainer->options().checkpoint_path = ckpt;
  first.recorder->stop_after = 13;  // in the second epoch
  first.trainer->fit(train_loader);
  train::Trainer::clear_interrupt();
  CHECK(first.trainer->stopped());
  CHECK(first.trainer->epoch() == 1);
  CHECK(first.trainer->batch() == 5);

  manual_seed(12345);  // the checkpoint must restore the generator, not rely on this
  Run second(99);      // other initial weights, overwritten by the checkpoint
  second.trainer->options().checkpoint_path = ckpt;
  second.trainer->load_checkpoint(ckpt);
  CHECK(second.trainer->step() == 13);
  second.trainer->fit(train_loader);
  CHECK_FALSE(second.trainer->stopped());

  std::vector<double> resumed = first.recorder->losses;
  resumed.insert(resumed.end(), second.recorder->losses.begin(), second.recorder->losses.end());
  REQUIRE(resumed.size() == full.recorder->losses.size());
  for (size_t i = 0; i < resumed.size(); ++i) {
    INFO("step " << i);
    CHECK(resumed[i] == full.recorder->losses[i]);
  }
  for (const auto& [name, t] : full.model->state_dict()) {
    INFO(name);
    CHECK(t.to_vector<float>() == second.model->state_dict().at(name).to_vector<float>());
  }
}

TEST_CASE("Trainer: checkpoints that do not fit are errors, and change nothing",
          "[unit][trainer]") {
  data::TensorDataset d = toy(64, 3);
  data::DataLoader train_loader = loader(d, true);
  Run run(0, 1);
  std::string ckpt = scratch("fit.safetensors");
  run.trainer->save_checkpoint(ckpt);

  // Another model: the model's strict load names the key.
  manual_seed(0);
  nn::MLP other(16, {8}, 4);
  optim::AdamW opt(other.parameters(), 1e-2);
  optim::CosineWarmupLR sched(opt, 4, 24);
  train::Trainer t(other, opt, [](const Tensor& l, const data::Batch& b) {
    return cross_entropy(l, b[1]);
  });
  t.set_scheduler(&sched);
  std::vector<float> before = other.parameters()[0].to_vector<float>();
  CHECK_THROWS_WITH(t.load_checkpoint(ckpt), Catch::Contains("[load_state_dict]") &&
                                                 Catch::Contains("shape"));
  CHECK(other.parameters()[0].to_vector<float>() == before);

  // No scheduler here, but the checkpoint has its state.
  Run plain(0, 1);
  plain.trainer->set_scheduler(nullptr);
  CHECK_THROWS_WITH(plain.trainer->load_checkpoint(ckpt), Catch::Contains("[Trainer]") &&
                                                             Catch::Contains("scheduler"));

  // A safetensors file that is not a trainer checkpoint.
  std::string bare = scratch("bare.safetensors");
  save_safetensors(bare, run.model->state_dict());
  CHECK_THROWS_WITH(run.trainer->load_checkpoint(bare),
                    Catch::Contains("[Trainer]") && Catch::Contains("not a lathe trainer"));
  CHECK_THROWS_WITH(run.trainer->load_checkpoint(scratch("missing.safetensors")),
                    Catch::Contains("missing.safetensors"));

  // The generator's state is a uint64: "-1" wrapped to 2^64 - 1; seeds above 2^63 failed stoll.
  SafetensorsFile saved = load_safetensors(ckpt);
  std::string edited = scratch("edited.safetensors");
  for (const char* seed : {"-1", "1e3", ""}) {
    std::map<std::string, std::string> meta = saved.metadata;
    meta["rng_seed"] = seed;
    save_safetensors(edited, saved.tensors, meta);
    INFO(seed);
    CHECK_THROWS_WITH(run.trainer->load_checkpoint(edited),
                      Catch::Contains("rng_seed") && Catch::Contains("unsigned 64-bit"));
  }
  std::map<std::string, std::string> meta = saved.metadata;
  meta["rng_seed"] = "18446744073709551615";
  save_safetensors(edited, saved.tensors, meta);
  run.trainer->load_checkpoint(edited);
  CHECK(default_generator().seed() == 18446744073709551615ull);

  // An i32 tensor where the model has f32 weights: refused, not cast silently.
  std::map<std::string, Tensor> tensors = saved.tensors;
  for (auto& [name, t] : tensors)
    if (name.rfind("model.", 0) == 0) t = t.to(DType::i32);
  save_safetensors(edited, tensors, saved.metadata);
  CHECK_THROWS_WITH(run.trainer->load_checkpoint(edited),
                    Catch::Contains("[load_state_dict]") && Catch::Contains("is i32") &&
                        Catch::Contains("expects f32"));

  // A loss that is not a scalar.
  train::Trainer bad(*run.model, *run.opt,
                     [](const Tensor& logits, const data::Batch&) { return logits; });
  CHECK_THROWS_WITH(bad.fit(train_loader), Catch::Contains("[Trainer] the loss must be a scalar"));
}

TEST_CASE("Trainer: an epoch's callbacks run before its checkpoint is saved", "[unit][trainer]") {
  // A run killed between the two must re-run the epoch on resume (and log it again), not
  // resume past an epoch whose metrics record was never written.
  struct Probe : train::Callback {
    std::string ckpt;
    std::vector<std::string> epochs_on_disk;
    void on_epoch_end(train::Trainer&, const train::EpochRecord&) override {
      epochs_on_disk.push_back(
          std::ifstream(ckpt).good() ? load_safetensors(ckpt).metadata.at("epoch") : "none");
    }
  };
  data::TensorDataset d = toy(64, 5);
  data::DataLoader train_loader = loader(d, true);
  Run run(0, 2);
  std::string ckpt = scratch("order.safetensors");
  std::remove(ckpt.c_str());
  auto probe = std::make_shared<Probe>();
  probe->ckpt = ckpt;
  run.trainer->options().checkpoint_path = ckpt;
  run.trainer->add_callback(probe);
  run.trainer->fit(train_loader);
  CHECK(probe->epochs_on_disk == std::vector<std::string>{"none", "1"});
  CHECK(load_safetensors(ckpt).metadata.at("epoch") == "2");
}
