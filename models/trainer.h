// Trainer: the small fit loop an application embeds. It owns nothing: it drives a model, an
// optimizer, an optional per-step LR scheduler and a loss function over DataLoader epochs,
// calls callbacks (progress, logging, checkpoints), and saves/loads checkpoints from which a
// run resumes with a bitwise-identical loss curve under the same seed.
//
//   nn::MLP model(784, {256}, 10);
//   optim::AdamW opt(model.parameters(), 1e-3);
//   train::Trainer trainer(model, opt, [](const Tensor& logits, const data::Batch& b) {
//     return cross_entropy(logits, b[1]);
//   });
//   trainer.options().epochs = 5;
//   trainer.options().checkpoint_path = "run/ckpt.safetensors";
//   trainer.fit(train_loader, &test_loader);
//
// Determinism: a DataLoader's epoch order is a function of (seed, epoch) only, and the
// checkpoint holds the model, optimizer and scheduler state dicts, the default generator's
// (seed, offset) (dropout masks), and the position (epoch, batch, step) with the epoch's running
// sums, so fit() continues exactly where the saved run was, even mid-epoch.
// Closure optimizers: with optim::LBFGS the batch's zero_grad, forward, loss, backward and
// clipping become the closure that LBFGS::step re-evaluates (up to max_eval times per batch);
// the metrics count its first evaluation, and the checkpoint holds L-BFGS's own state dict.
// Interruption: Trainer::interrupt() (async-signal-safe, e.g. from a SIGINT handler) makes fit()
// stop after the current batch, save a checkpoint when a path is set, and return; stopped()
// then says so.
#pragma once

#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "models/data/data.h"
#include "models/module.h"
#include "models/optim/optim.h"

namespace lathe::train {

// Sums over the batches of an epoch (or of an evaluation).
struct Metrics {
  double loss_sum = 0;   // sum over batches of loss * batch size
  int64_t correct = 0;   // argmax(logits) == labels, when the batch has labels
  int64_t samples = 0;
  int64_t labelled = 0;  // samples whose accuracy was counted
  double seconds = 0;

  double loss() const { return samples ? loss_sum / samples : 0.0; }
  double accuracy() const {
    return labelled ? static_cast<double>(correct) / labelled
                    : std::numeric_limits<double>::quiet_NaN();
  }
  double samples_per_second() const { return seconds > 0 ? samples / seconds : 0.0; }
};

struct EpochRecord {
  int64_t epoch = 0;  // 0-based
  Metrics train;
  Metrics eval;       // samples == 0 when fit() was given no evaluation loader
  double lr = 0;      // at the end of the epoch
};

class Trainer;

// Hooks fit() calls; override the ones you need.
class Callback {
 public:
  virtual ~Callback() = default;
  virtual void on_fit_begin(Trainer&) {}
  virtual void on_epoch_begin(Trainer&, int64_t /*epoch*/) {}
  // After each optimizer step: the batch index within the epoch, the epoch's batch count and the
  // epoch's sums so far.
  virtual void on_batch_end(Trainer&, int64_t /*batch*/, int64_t /*batches*/, const Metrics&) {}
  virtual void on_epoch_end(Trainer&, const EpochRecord&) {}
  virtual void on_fit_end(Trainer&) {}
};

struct TrainerOptions {
  int64_t epochs = 1;           // fit() runs epochs [epoch(), epochs)
  double clip_grad_norm = 0;    // > 0: clip the gradients' global 2-norm before each step
  std::string checkpoint_path;  // non-empty: save after every epoch and when interrupted
};

class Trainer {
 public:
  // loss(logits, batch) -> scalar; batch[0] is the model's input, batch[1] (when present and
  // integer) the labels accuracy is counted against.
  using LossFn = std::function<Tensor(const Tensor& logits, const data::Batch& batch)>;

  Trainer(nn::Layer& model, optim::Optimizer& optimizer, LossFn loss, TrainerOptions options = {});

  TrainerOptions& options() { return options_; }
  // Stepped after every optimizer step; its state goes into the checkpoint.
  void set_scheduler(optim::LRScheduler* scheduler) { scheduler_ = scheduler; }
  void add_callback(std::shared_ptr<Callback> callback);

  // Trains from the current position to options().epochs, evaluating on `eval` (if given) after
  // each epoch; returns the records of the epochs completed by this call.
  std::vector<EpochRecord> fit(const data::DataLoader& train,
                               const data::DataLoader* eval = nullptr);
  // The loss and accuracy over a loader in eval mode without gradients (the model's mode is
  // restored afterwards).
  Metrics evaluate(const data::DataLoader& loader);

  // Writes model, optimizer, scheduler, RNG and position atomically (core/safetensors.h).
  void save_checkpoint(const std::string& path) const;
  // Restores everything save_checkpoint wrote; strict: a checkpoint of another model, optimizer
  // or scheduler is an error naming the key, and nothing is changed on error.
  void load_checkpoint(const std::string& path);

  static void interrupt();        // async-signal-safe
  static void clear_interrupt();
  bool stopped() const { return stopped_; }

  int64_t epoch() const { return epoch_; }  // the epoch fit() runs next (or is running)
  int64_t batch() const { return batch_; }  // the next batch within that epoch
  int64_t step() const { return step_; }    // optimizer steps taken
  const Metrics& running() const { return running_; }  // the current epoch's sums so far
  nn::Layer& model() { return model_; }
  optim::Optimizer& optimizer() { return optimizer_; }

 private:
  void accumulate(const Tensor& loss, const Tensor& logits, const data::Batch& batch,
                  Metrics& m) const;

  nn::Layer& model_;
  optim::Optimizer& optimizer_;
  optim::LRScheduler* scheduler_ = nullptr;
  LossFn loss_;
  TrainerOptions options_;
  std::vector<std::shared_ptr<Callback>> callbacks_;
  int64_t epoch_ = 0, batch_ = 0, step_ = 0;
  Metrics running_;  // the current epoch's sums (checkpointed, for mid-epoch resumes)
  bool stopped_ = false;
};

}  // namespace lathe::train
