// DistributedDataParallel: data-parallel training of one Module over a ProcessGroup, in the
// spirit of torch.nn.parallel.DistributedDataParallel.
//
//   auto pg = dist::ProcessGroup::from_environment();
//   dist::DistributedDataParallel ddp(model, pg);       // rank 0's parameters and buffers
//   for (batch of this rank's shard) {                   //   everywhere
//     opt.zero_grad();
//     ddp.backward(loss_fn(model->forward(x), y));       // backward, then the mean gradient
//     opt.step();                                        //   over ranks in every .grad
//   }
//
// Gradients travel in buckets of about `bucket_bytes` (25 MB, as PyTorch): the parameters in
// reverse registration order (the order backward produces their gradients) are laid end to end,
// and each bucket is one contiguous range of that line, packed into one buffer and all-reduced
// with one MPI call. A bucket may hold many parameters or a slice of one.
//
// NOTE: no overlap with the backward. lathe's engine runs a leaf's gradient hooks only once the
// whole graph has been walked (core/autograd.cpp, finish_leaves: a leaf gets its total gradient
// once), so a hook could not start a bucket's allreduce earlier than after backward() returns.
// The buckets are reduced after the backward, in order; overlapping them needs an engine hook
// that fires when a leaf's gradient is final, which is future work.
//
// Hook mode (reduce_in_hooks): each parameter gets a gradient hook that all-reduces its
// gradient (one MPI call per parameter, no buckets) as the engine hands it over, so a loop that
// calls loss.backward() itself, such as train::Trainer's, is data-parallel unchanged (see
// dist::fit in trainer.h). It needs an empty .grad at each backward (zero_grad first: the hook
// sees this backward's gradient, not the accumulated one), so no_sync accumulation is refused
// there; the hooks do nothing once the wrapper is destroyed. Every rank must produce the
// parameters' gradients in the same order, which the same model code does.
//
// no_sync(): while the guard lives, backward() only accumulates local gradients; the first
// backward() after it all-reduces the accumulated .grad (gradient accumulation, as PyTorch).
// Unused parameters (no .grad after the backward on this rank): refused with an error naming
// them, unless `find_unused_parameters`, where they count as zero gradients. The check and the
// zero-fill run on every rank before any bucket moves, so with the option every rank agrees on
// the buckets; without it the refusing rank throws and the others stop at the group's timeout.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "distributed/process_group.h"
#include "models/module.h"

namespace lathe::dist {

struct DistributedDataParallelOptions {
  int64_t bucket_bytes = 25 * 1024 * 1024;
  bool find_unused_parameters = false;
  bool broadcast_buffers = true;  // rank 0's buffers (running statistics) at every sync
  bool reduce_in_hooks = false;   // per-parameter allreduce inside backward (see above)
};

class DistributedDataParallel {
 public:
  DistributedDataParallel(std::shared_ptr<nn::Module> module, std::shared_ptr<ProcessGroup> group,
                          DistributedDataParallelOptions options = {});
  ~DistributedDataParallel();
  DistributedDataParallel(const DistributedDataParallel&) = delete;
  DistributedDataParallel& operator=(const DistributedDataParallel&) = delete;

  nn::Module& module() { return *module_; }
  ProcessGroup& group() { return *group_; }
  const DistributedDataParallelOptions& options() const { return options_; }

  // loss.backward(), then sync_gradients() unless inside no_sync() or in hook mode.
  void backward(const Tensor& loss);
  // Replaces every parameter's .grad by its mean over the ranks (bucketed allreduce).
  void sync_gradients();
  // Rank 0's parameters and buffers to every rank (done at construction).
  void broadcast_state();

  // RAII: gradients accumulate locally while a guard lives.
  class NoSync {
   public:
    explicit NoSync(DistributedDataParallel& ddp) : ddp_(ddp), was_(ddp.hooks_->sync) {
      ddp_.hooks_->sync = false;
    }
    ~NoSync() { ddp_.hooks_->sync = was_; }
    NoSync(const NoSync&) = delete;
    NoSync& operator=(const NoSync&) = delete;

   private:
    DistributedDataParallel& ddp_;
    bool was_;
  };
  NoSync no_sync() { return NoSync(*this); }

  // One bucket: a range [begin, end) of the line of gradients (in elements), one dtype.
  struct Bucket {
    DType dtype;
    int64_t begin;
    int64_t end;
  };
  const std::vector<Bucket>& buckets() const { return buckets_; }

 private:
  struct Slot {  // a parameter's place on the line
    std::string name;
    Tensor param;
    int64_t begin;  // first element on the line
  };
  // What the parameters' hooks share with the wrapper (the hooks may outlive it).
  struct HookState {
    std::shared_ptr<ProcessGroup> group;
    bool sync = true;     // false inside no_sync()
    bool active = false;  // hook mode, and the wrapper alive
  };
  void plan_buckets();
  void attach_hooks();
  void check_grads();

  std::shared_ptr<nn::Module> module_;
  std::shared_ptr<ProcessGroup> group_;
  DistributedDataParallelOptions options_;
  std::vector<Slot> slots_;
  std::vector<Bucket> buckets_;
  std::shared_ptr<HookState> hooks_ = std::make_shared<HookState>();
};

}  // namespace lathe::dist
