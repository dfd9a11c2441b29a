// The fit loop, evaluation and checkpoints of models/trainer.h.
#include "models/trainer.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/autograd.h"
#include "core/error.h"
#include "core/random.h"
#include "core/safetensors.h"
#include "models/optim/lbfgs.h"
#include "ops/ops.h"

namespace lathe::train {

namespace {

std::atomic<bool> interrupted{false};

// L-BFGS keeps its search state outside the per-parameter state of the base class, so its
// own state_dict is the one a checkpoint holds.
nn::StateDict optimizer_state(const optim::Optimizer& opt) {
  if (auto* lbfgs = dynamic_cast<const optim::LBFGS*>(&opt)) return lbfgs->state_dict();
  return opt.state_dict();
}

void load_optimizer_state(optim::Optimizer& opt, const nn::StateDict& state) {
  if (auto* lbfgs = dynamic_cast<optim::LBFGS*>(&opt)) return lbfgs->load_state_dict(state);
  opt.load_state_dict(state);
}
static_assert(std::atomic<bool>::is_always_lock_free, "interrupt() must be signal-safe");

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Exact decimal forms for the checkpoint's metadata: integers, and doubles with 17 digits.
std::string exact(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Entries of `all` whose names start with `prefix`, with the prefix removed.
nn::StateDict with_prefix(const std::map<std::string, Tensor>& all, const std::string& prefix) {
  nn::StateDict out;
  for (const auto& [name, t] : all)
    if (name.compare(0, prefix.size(), prefix) == 0) out[name.substr(prefix.size())] = t;
  return out;
}

const std::string& metadata(const std::map<std::string, std::string>& m, const std::string& key,
                            const std::string& path) {
  auto it = m.find(key);
  LATHE_CHECK(it != m.end(), "[Trainer] checkpoint ", path, " has no '", key,
              "' in its metadata: not a lathe trainer checkpoint");
  return it->second;
}

int64_t as_int(const std::string& s, const std::string& key, const std::string& path) {
  try {
    size_t used = 0;
    long long v = std::stoll(s, &used);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  throw Error("[Trainer] checkpoint " + path + ": metadata '" + key + "' = '" + s.substr(0, 40) +
              "' is not an integer");
}

// A uint64_t written by std::to_string: digits only, so "-1" is refused instead of wrapping to
// 2^64 - 1, and seeds above 2^63 (which stoll cannot read) load.
uint64_t as_uint(const std::string& s, const std::string& key, const std::string& path) {
  uint64_t v = 0;
  bool ok = !s.empty() && s.size() <= 20;
  for (char c : s) {
    ok = ok && c >= '0' && c <= '9' && !__builtin_mul_overflow(v, 10u, &v) &&
         !__builtin_add_overflow(v, static_cast<uint64_t>(c - '0'), &v);
  }
  if (ok) return v;
  throw Error("[Trainer] checkpoint " + path + ": metadata '" + key + "' = '" + s.substr(0, 40) +
              "' is not an unsigned 64-bit integer");
}

double as_double(const std::string& s, const std::string& key, const std::string& path) {
  try {
    size_t used = 0;
    double v = std::stod(s, &used);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  throw Error("[Trainer] checkpoint " + path + ": metadata '" + key + "' = '" + s.substr(0, 40) +
              "' is not a number");
}

}  // namespace

Trainer::Trainer(nn::Layer& model, optim::Optimizer& optimizer, LossFn loss,
                 TrainerOptions options)
    : model_(model), optimizer_(optimizer), loss_(std::move(loss)), options_(std::move(options)) {
  LATHE_CHECK(static_cast<bool>(loss_), "[Trainer] the loss function is empty");
}

void Trainer::add_callback(std::shared_ptr<Callback> callback) {
  LATHE_CHECK(callback != nullptr, "[Trainer] add_callback: null callback");
  callbacks_.push_back(std::move(callback));
}

void Trainer::interrupt() { interrupted.store(true); }
void Trainer::clear_interrupt() { interrupted.store(false); }

void Trainer::accumulate(const Tensor& loss, const Tensor& logits, const data::Batch& batch,
                         Metrics& m) const {
  LATHE_CHECK(loss.numel() == 1, "[Trainer] the loss must be a scalar, got ", loss.shape());
  int64_t n = batch.empty() ? 0 : batch[0].size(0);
  double value = loss.item();
  LATHE_CHECK(std::isfinite(value), "[Trainer] the loss is ", value, " at epoch ", epoch_,
              ", batch ", batch_);
  m.loss_sum += value * static_cast<double>(n);
  m.samples += n;
  if (batch.size() >= 2 && is_integral(batch[1].dtype()) && logits.dim() == 2 &&
      batch[1].dim() == 1 && batch[1].size(0) == logits.size(0)) {
    NoGradGuard no_grad;
    m.correct += static_cast<int64_t>(
        sum(cast(eq(argmax(logits.detach(), -1), batch[1]), DType::f64)).item());
    m.labelled += n;
  }
}

std::vector<EpochRecord> Trainer::fit(const data::DataLoader& train,
                                      const data::DataLoader* eval) {
  stopped_ = false;
  std::vector<EpochRecord> done;
  for (auto& cb : callbacks_) cb->on_fit_begin(*this);
  std::vector<Tensor> params = model_.parameters();
  for (; epoch_ < options_.epochs; ++epoch_) {
    model_.train();
    for (auto& cb : callbacks_) cb->on_epoch_begin(*this, epoch_);
    data::DataLoader::Epoch batches = train.epoch(epoch_);
    double start = now_seconds() - running_.seconds;
    for (; batch_ < batches.size(); ++batch_) {
      data::Batch b = batches[batch_];
      LATHE_CHECK(!b.empty(), "[Trainer] the training loader gives empty batches");
      // One forward and backward: the whole step for first-order optimizers, the closure
      // that L-BFGS re-evaluates. The metrics count the first evaluation (before the step).
      Tensor logits, loss;
      auto forward_backward = [&]() {
        optimizer_.zero_grad();
        Tensor out = model_(b[0]);
        Tensor l = loss_(out, b);
        LATHE_CHECK(l.numel() == 1, "[Trainer] the loss must be a scalar, got ", l.shape());
        l.backward();
        if (options_.clip_grad_norm > 0) optim::clip_grad_norm(params, options_.clip_grad_norm);
        if (!loss.defined()) {
          logits = out;
          loss = l;
        }
        return l;
      };
      if (auto* lbfgs = dynamic_cast<optim::LBFGS*>(&optimizer_)) {
        lbfgs->step(forward_backward);
      } else {
        forward_backward();
        optimizer_.step();
      }
      if (scheduler_) scheduler_->step();
      ++step_;
      accumulate(loss, logits, b, running_);
      running_.seconds = now_seconds() - start;
      for (auto& cb : callbacks_) cb->on_batch_end(*this, batch_, batches.size(), running_);
      if (interrupted.load()) {
        ++batch_;  // this batch is done
        stopped_ = true;
        if (!options_.checkpoint_path.empty()) save_checkpoint(options_.checkpoint_path);
        for (auto& cb : callbacks_) cb->on_fit_end(*this);
        return done;
      }
    }
    EpochRecord record;
    record.epoch = epoch_;
    record.train = running_;
    record.lr = optimizer_.lr();
    if (eval) record.eval = evaluate(*eval);
    done.push_back(record);
    running_ = Metrics();
    batch_ = 0;
    // Callbacks (a metrics log) first, then the checkpoint: a kill between the two re-runs the
    // epoch on resume, and its record is written again, never lost.
    for (auto& cb : callbacks_) cb->on_epoch_end(*this, record);
    if (!options_.checkpoint_path.empty()) {
      ++epoch_;  // the checkpoint resumes at the next epoch
      save_checkpoint(options_.checkpoint_path);
      --epoch_;
    }
  }
  for (auto& cb : callbacks_) cb->on_fit_end(*this);
  return done;
}

Metrics Trainer::evaluate(const data::DataLoader& loader) {
  bool was_training = model_.is_training();
  model_.eval();
  NoGradGuard no_grad;
  Metrics m;
  double start = now_seconds();
  for (const data::Batch& b : loader.epoch(0)) {
    LATHE_CHECK(!b.empty(), "[Trainer] the evaluation loader gives empty batches");
    Tensor logits = model_(b[0]);
    accumulate(loss_(logits, b), logits, b, m);
  }
  m.seconds = now_seconds() - start;
  model_.train(was_training);
  return m;
}

void Trainer::save_checkpoint(const std::string& path) const {
  std::map<std::string, Tensor> tensors;
  for (const auto& [k, t] : model_.state_dict()) tensors["model." + k] = t;
  for (const auto& [k, t] : optimizer_state(optimizer_)) tensors["optimizer." + k] = t;
  if (scheduler_)
    for (const auto& [k, t] : scheduler_->state_dict()) tensors["scheduler." + k] = t;
  const Generator& gen = default_generator();
  std::map<std::string, std::string> meta = {
      {"format", "lathe.trainer.v1"},
      {"epoch", std::to_string(epoch_)},
      {"batch", std::to_string(batch_)},
      {"step", std::to_string(step_)},
      {"rng_seed", std::to_string(gen.seed())},
      {"rng_offset", std::to_string(gen.offset())},
      {"running_loss_sum", exact(running_.loss_sum)},
      {"running_correct", std::to_string(running_.correct)},
      {"running_samples", std::to_string(running_.samples)},
      {"running_labelled", std::to_string(running_.labelled)},
      {"running_seconds", exact(running_.seconds)},
      {"has_scheduler", scheduler_ ? "1" : "0"}};
  save_safetensors(path, tensors, meta);
}

void Trainer::load_checkpoint(const std::string& path) {
  SafetensorsFile file = load_safetensors(path);
  const auto& m = file.metadata;
  auto it = m.find("format");
  LATHE_CHECK(it != m.end() && it->second == "lathe.trainer.v1", "[Trainer] ", path,
              " is not a lathe trainer checkpoint (no format lathe.trainer.v1 in its metadata)");
  for (const auto& [name, t] : file.tensors) {
    bool known = name.rfind("model.", 0) == 0 || name.rfind("optimizer.", 0) == 0 ||
                 name.rfind("scheduler.", 0) == 0;
    LATHE_CHECK(known, "[Trainer] checkpoint ", path, ": unexpected tensor '", name, "'");
  }
  bool has_scheduler = metadata(m, "has_scheduler", path) == "1";
  LATHE_CHECK(has_scheduler == (scheduler_ != nullptr), "[Trainer] checkpoint ", path,
              has_scheduler ? " has scheduler state but this trainer has no scheduler"
                            : " has no scheduler state but this trainer has a scheduler");
  // Parse everything before changing anything.
  int64_t epoch = as_int(metadata(m, "epoch", path), "epoch", path);
  int64_t batch = as_int(metadata(m, "batch", path), "batch", path);
  int64_t step = as_int(metadata(m, "step", path), "step", path);
  uint64_t seed = as_uint(metadata(m, "rng_seed", path), "rng_seed", path);
  uint64_t offset = as_uint(metadata(m, "rng_offset", path), "rng_offset", path);
  Metrics running;
  running.loss_sum = as_double(metadata(m, "running_loss_sum", path), "running_loss_sum", path);
  running.correct = as_int(metadata(m, "running_correct", path), "running_correct", path);
  running.samples = as_int(metadata(m, "running_samples", path), "running_samples", path);
  running.labelled = as_int(metadata(m, "running_labelled", path), "running_labelled", path);
  running.seconds = as_double(metadata(m, "running_seconds", path), "running_seconds", path);
  LATHE_CHECK(epoch >= 0 && batch >= 0 && step >= 0, "[Trainer] checkpoint ", path,
              ": negative position (epoch ", epoch, ", batch ", batch, ", step ", step, ")");

  // Each load is all-or-nothing; if a later one fails, the earlier ones are put back.
  auto copy = [](const nn::StateDict& state) {
    nn::StateDict out;
    for (const auto& [k, t] : state) out[k] = t.clone();
    return out;
  };
  nn::StateDict model_before = copy(model_.state_dict());
  nn::StateDict optimizer_before = copy(optimizer_state(optimizer_));
  model_.load_state_dict(with_prefix(file.tensors, "model."));
  try {
    load_optimizer_state(optimizer_, with_prefix(file.tensors, "optimizer."));
    if (scheduler_) scheduler_->load_state_dict(with_prefix(file.tensors, "scheduler."));
  } catch (...) {
    model_.load_state_dict(model_before);
    load_optimizer_state(optimizer_, optimizer_before);
    throw;
  }
  default_generator().set_state(seed, offset);
  epoch_ = epoch;
  batch_ = batch;
  step_ = step;
  running_ = running;
}

}  // namespace lathe::train
